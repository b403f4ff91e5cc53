/// The screen shown when the terminal is smaller than the dashboard needs.
public struct TooSmallNotice {
    public var needed: Size

    public init(needed: Size) {
        self.needed = needed
    }

    /// Clears the screen and centres the notice with the needed and current sizes.
    public func draw(on screen: Screen, theme: Theme) {
        screen.clear(style: theme.text)
        let lines = ["terminal too small", "need \(needed), have \(screen.size)", "enlarge it or press q"]
        let top = max(0, (screen.size.height - lines.count) / 2)
        for (row, line) in lines.enumerated() {
            let text = TextWidth.truncated(line, to: screen.size.width)
            let x = max(0, (screen.size.width - TextWidth.of(text)) / 2)
            screen.put(text, x: x, y: top + row, style: row == 0 ? theme.bad : theme.text)
        }
    }
}
