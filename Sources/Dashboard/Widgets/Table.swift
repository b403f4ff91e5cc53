/// A table with a header row and styled cells.
public struct Table {
    /// A column: title, width in cells (nil shares the room left), alignment.
    public struct Column: Sendable {
        public var title: String
        public var width: Int?
        public var alignRight: Bool

        public init(_ title: String, width: Int? = nil, alignRight: Bool = false) {
            self.title = title
            self.width = width
            self.alignRight = alignRight
        }
    }

    /// One cell: its text and, if not the table's, its style.
    public struct Cell: Sendable {
        public var text: String
        public var style: Style?

        public init(_ text: String, style: Style? = nil) {
            self.text = text
            self.style = style
        }
    }

    public var columns: [Column]
    public var rows: [[Cell]]
    /// The highlighted row, if any.
    public var selectedRow: Int?

    public init(columns: [Column], rows: [[Cell]], selectedRow: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.selectedRow = selectedRow
    }

    /// The widths of the columns in `width` cells (one space between columns).
    public func widths(for width: Int) -> [Int] {
        let fixed = columns.compactMap(\.width).reduce(0, +) + max(0, columns.count - 1)
        let flexible = columns.filter { $0.width == nil }.count
        let share = flexible > 0 ? max(0, width - fixed) / flexible : 0
        return columns.map { $0.width ?? share }
    }

    /// Draws the header and as many rows as fit.
    public func draw(in rect: Rect, on screen: Screen, theme: Theme) {
        guard rect.height > 0 else { return }
        let widths = widths(for: rect.width)
        drawRow(columns.map { Cell($0.title) }, widths: widths, y: rect.y, style: { _ in theme.muted.with(.underline) }, rect: rect, on: screen)
        for (index, row) in rows.prefix(rect.height - 1).enumerated() {
            let y = rect.y + 1 + index
            if index == selectedRow {
                screen.fill(rect.row(index + 1), style: theme.selected)
                drawRow(row, widths: widths, y: y, style: { theme.selected.with(foreground: $0?.foreground ?? theme[.selectedForeground]) }, rect: rect, on: screen)
            } else {
                drawRow(row, widths: widths, y: y, style: { $0 ?? theme.text }, rect: rect, on: screen)
            }
        }
    }

    /// Draws one row of cells; `style` turns a cell's own style into the one drawn.
    private func drawRow(_ cells: [Cell], widths: [Int], y: Int, style: (Style?) -> Style, rect: Rect, on screen: Screen) {
        var x = rect.x
        for (index, (column, width)) in zip(columns, widths).enumerated() {
            let cell = index < cells.count ? cells[index] : Cell("")
            let text = TextWidth.padded(TextWidth.truncated(cell.text, to: width), to: width, alignRight: column.alignRight)
            screen.put(text, x: x, y: y, style: style(cell.style), clip: rect)
            x += width + 1
        }
    }
}
