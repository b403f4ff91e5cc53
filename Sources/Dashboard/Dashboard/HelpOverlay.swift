/// The `?` overlay: every binding of the key table, grouped by where it applies.
struct HelpOverlay: PanelView {
    let table: KeyTable
    let scroll: Int
    let screenRect: Rect

    /// One line of help: a context heading or a binding.
    enum Line: Hashable {
        case heading(String)
        case binding(keys: String, description: String)
    }

    /// The help lines generated from `table`, contexts in their declared order.
    static func lines(of table: KeyTable) -> [Line] {
        KeyContext.allCases.flatMap { context -> [Line] in
            let bindings = table.bindings(in: context)
            guard !bindings.isEmpty else { return [] }
            return [.heading(context.title)] + bindings.map { .binding(keys: $0.keyLabel, description: $0.description) }
        }
    }

    // MARK: - Geometry

    private var lines: [Line] { HelpOverlay.lines(of: table) }

    /// The box, centred, at most 76 wide and as tall as the lines (within the screen).
    var box: Rect { screenRect.centered(Size(width: min(76, screenRect.width - 4), height: min(lines.count + 2, screenRect.height - 2))) }

    /// The first line shown, clamped so the box stays full.
    var firstLine: Int { max(0, min(scroll, lines.count - (box.height - 2))) }

    /// Clicks outside the box close help.
    var controls: [Control] {
        [Control(rect: screenRect) { [box] point in box.contains(x: point.x, y: point.y) ? nil : .button(.toggleHelp) }]
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        let visible = box.height - 2
        let note = lines.count > visible ? "\(firstLine + 1)-\(firstLine + visible) of \(lines.count), j/k scroll" : "esc closes"
        let inner = PanelFrame(title: "Keys", focused: true, note: note).draw(in: box, on: screen, theme: theme)
        let keyWidth = min(16, lines.compactMap { if case .binding(let keys, _) = $0 { TextWidth.of(keys) } else { nil } }.max() ?? 0)
        for (row, line) in lines.dropFirst(firstLine).prefix(visible).enumerated() {
            switch line {
            case .heading(let title):
                screen.put(title, x: inner.x, y: inner.y + row, style: theme.title, clip: inner)
            case .binding(let keys, let description):
                screen.put("  " + TextWidth.padded(keys, to: keyWidth), x: inner.x, y: inner.y + row, style: theme.slider, clip: inner)
                screen.put(description, x: inner.x + keyWidth + 4, y: inner.y + row, style: theme.text, clip: inner)
            }
        }
    }
}
