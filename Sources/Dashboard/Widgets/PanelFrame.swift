/// A framed panel: a border, a title on the top edge, an optional note on the right of it.
public struct PanelFrame {
    public var title: String
    public var focused: Bool
    /// Right-aligned text on the top edge (a state, a count).
    public var note: String?

    public init(title: String, focused: Bool, note: String? = nil) {
        self.title = title
        self.focused = focused
        self.note = note
    }

    /// The area inside the border of a panel drawn in `rect`.
    public static func inner(_ rect: Rect) -> Rect { rect.inset(dx: 1, dy: 1) }

    /// Draws the frame, clears the inside, and returns the inside.
    @discardableResult
    public func draw(in rect: Rect, on screen: Screen, theme: Theme) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = Glyphs.for(screen)
        let style = theme.border(focused: focused)
        let (h, v) = focused ? (g.focusedHorizontal, g.focusedVertical) : (g.horizontal, g.vertical)
        let c = focused ? g.focusedCorners : g.corners
        let line = String(repeating: h, count: rect.width - 2)
        screen.put(String(c.topLeft) + line + String(c.topRight), x: rect.x, y: rect.y, style: style)
        screen.put(String(c.bottomLeft) + line + String(c.bottomRight), x: rect.x, y: rect.maxY - 1, style: style)
        for y in rect.y + 1..<rect.maxY - 1 {
            screen.put(String(v), x: rect.x, y: y, style: style)
            screen.put(String(v), x: rect.maxX - 1, y: y, style: style)
        }
        let inside = PanelFrame.inner(rect)
        screen.fill(inside, style: theme.text)
        let room = rect.width - 4
        let titleText = TextWidth.truncated(" \(title) ", to: room)
        screen.put(titleText, x: rect.x + 2, y: rect.y, style: focused ? theme.title.with(.reverse) : theme.title)
        if let note, room - TextWidth.of(titleText) > 4 {
            let noteText = TextWidth.truncated(" \(note) ", to: room - TextWidth.of(titleText) - 2)
            screen.put(noteText, x: rect.maxX - 2 - TextWidth.of(noteText), y: rect.y, style: theme.muted)
        }
        return inside
    }
}
