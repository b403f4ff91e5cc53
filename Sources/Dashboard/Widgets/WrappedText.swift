/// Text word-wrapped to a width in cells, drawn into a rectangle.
public struct WrappedText {
    public var text: String
    public var style: Style
    /// Show the end when the text is longer than the rectangle (streaming output).
    public var followTail: Bool

    public init(text: String, style: Style, followTail: Bool = false) {
        self.text = text
        self.style = style
        self.followTail = followTail
    }

    /// Draws the lines that fit; returns how many rows were used.
    @discardableResult
    public func draw(in rect: Rect, on screen: Screen) -> Int {
        guard !rect.isEmpty else { return 0 }
        let lines = WrappedText.wrap(text, width: rect.width)
        let shown = followTail ? Array(lines.suffix(rect.height)) : Array(lines.prefix(rect.height))
        for (row, line) in shown.enumerated() { screen.put(line, x: rect.x, y: rect.y + row, style: style, clip: rect) }
        return shown.count
    }

    /// Splits `text` into lines of at most `width` cells: at spaces where possible, inside words
    /// longer than a line, and at every newline.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = Substring(word)
                var wordWidth = TextWidth.of(word)
                if lineWidth > 0 && lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 { lines.append(line) }
                while wordWidth > width {
                    let head = TextWidth.prefix(of: word, fitting: width)
                    let piece = head.isEmpty ? word.prefix(1) : head
                    lines.append(String(piece))
                    word = word.dropFirst(piece.count)
                    wordWidth = TextWidth.of(word)
                }
                line = String(word)
                lineWidth = wordWidth
            }
            lines.append(line)
        }
        return lines
    }
}
