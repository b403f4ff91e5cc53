/// Text word-wrapped to a width in cells, drawn into a rectangle, optionally after an inline label.
public struct WrappedText {
    public var text: String
    public var style: Style
    /// A label that starts the first line (`Client:`), drawn in `labelStyle`.
    public var label: String?
    public var labelStyle: Style
    /// Show the end when the text is longer than the rectangle (streaming output).
    public var followTail: Bool

    public init(text: String, style: Style, label: String? = nil, labelStyle: Style = .plain, followTail: Bool = false) {
        self.text = text
        self.style = style
        self.label = label
        self.labelStyle = labelStyle
        self.followTail = followTail
    }

    /// Draws the lines that fit; returns how many rows were used.
    @discardableResult
    public func draw(in rect: Rect, on screen: Screen) -> Int {
        guard !rect.isEmpty else { return 0 }
        let lines = WrappedText.wrap(label.map { $0 + " " + text } ?? text, width: rect.width)
        let first = followTail ? max(0, lines.count - rect.height) : 0
        for (row, line) in lines.dropFirst(first).prefix(rect.height).enumerated() {
            screen.put(line, x: rect.x, y: rect.y + row, style: style, clip: rect)
        }
        if let label, first == 0 {
            screen.put(String(TextWidth.prefix(of: label, fitting: rect.width)), x: rect.x, y: rect.y, style: labelStyle)
        }
        return min(rect.height, lines.count - first)
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
