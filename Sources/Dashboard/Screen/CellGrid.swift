/// An in-memory `Screen`: a grid of characters and styles, dumped as text for snapshot tests.
public final class CellGrid: Screen {
    /// One cell; the right half of a wide character is a `continuation` cell.
    public struct Cell: Hashable, Sendable {
        public var character: Character
        public var style: Style
        public var isContinuation: Bool

        static func blank(_ style: Style) -> Cell { Cell(character: " ", style: style, isContinuation: false) }
    }

    public let size: Size
    public let supportsUnicode: Bool
    public private(set) var cells: [Cell]
    /// How many times `flush` was called.
    public private(set) var flushCount = 0

    public init(size: Size, supportsUnicode: Bool = true) {
        self.size = size
        self.supportsUnicode = supportsUnicode
        cells = Array(repeating: .blank(.plain), count: max(0, size.width * size.height))
    }

    /// The cell at (x, y).
    public subscript(x: Int, y: Int) -> Cell { cells[y * size.width + x] }

    // MARK: - Screen

    public func put(_ text: String, x: Int, y: Int, style: Style) {
        guard y >= 0, y < size.height else { return }
        var column = x
        for character in text {
            let width = TextWidth.of(character)
            guard width > 0 else { continue }
            if column >= size.width { break }
            if column >= 0, column + width <= size.width {
                write(Cell(character: character, style: style, isContinuation: false), x: column, y: y)
                if width == 2 { write(Cell(character: " ", style: style, isContinuation: true), x: column + 1, y: y) }
            }
            column += width
        }
    }

    public func clear(style: Style) {
        cells = Array(repeating: .blank(style), count: cells.count)
    }

    public func flush() { flushCount += 1 }

    /// Writes one cell, blanking any wide character it cuts in half.
    private func write(_ cell: Cell, x: Int, y: Int) {
        let index = y * size.width + x
        let old = cells[index]
        if old.isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        if !old.isContinuation, TextWidth.of(old.character) == 2, x + 1 < size.width, cells[index + 1].isContinuation {
            cells[index + 1] = .blank(cells[index + 1].style)
        }
        cells[index] = cell
    }

    // MARK: - Dumps

    /// The characters row by row, trailing spaces trimmed.
    public func textDump() -> String {
        (0..<size.height).map { rowText($0).trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// The text, then one letter per cell naming its style, then the legend of the letters.
    ///
    /// `.` is the plain style; other styles get `a`, `b`, … in order of first appearance.
    public func styledDump() -> String {
        var letters: [Style: Character] = [.plain: "."]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var styleRows: [String] = []
        for y in 0..<size.height {
            var row = ""
            for x in 0..<size.width {
                let style = self[x, y].style
                if letters[style] == nil {
                    let letter = alphabet[min(legend.count, alphabet.count - 1)]
                    letters[style] = letter
                    legend.append("\(letter) \(Self.describe(style))")
                }
                row.append(letters[style]!)
            }
            styleRows.append(row)
        }
        return textDump() + "--- styles\n" + styleRows.joined(separator: "\n") + "\n--- legend\n"
            + legend.map { $0 + "\n" }.joined()
    }

    /// The text of one row, wide characters once.
    private func rowText(_ y: Int) -> String {
        String((0..<size.width).compactMap { x in self[x, y].isContinuation ? nil : self[x, y].character })
    }

    /// A readable description of a style for the legend.
    private static func describe(_ style: Style) -> String {
        var parts: [String] = []
        if let fg = style.foreground { parts.append("fg \(fg)") }
        if let bg = style.background { parts.append("bg \(bg)") }
        let names: [(Attributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.underline, "underline"), (.reverse, "reverse")]
        parts += names.filter { style.attributes.contains($0.0) }.map(\.1)
        parts += names.filter { style.monochrome.contains($0.0) }.map { "mono-" + $0.1 }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
