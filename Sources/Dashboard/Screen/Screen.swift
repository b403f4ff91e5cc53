/// A grid of styled cells the dashboard draws into: ncurses on a terminal, an in-memory grid in tests.
///
/// Coordinates are cells; everything drawn outside the screen (or outside `clip`) is dropped.
public protocol Screen: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Whether the screen can show UTF-8 (braille, box drawing); otherwise ASCII only.
    var supportsUnicode: Bool { get }
    /// Draws `text` from (x, y) to the right on one row; wide characters take two cells.
    func put(_ text: String, x: Int, y: Int, style: Style)
    /// Clears the whole screen to `style`'s background.
    func clear(style: Style)
    /// Shows what was drawn since the last flush.
    func flush()
}

extension Screen {
    /// The whole screen as a rectangle.
    public var bounds: Rect { Rect(size: size) }

    /// Fills `rect` with `character` in `style`.
    public func fill(_ rect: Rect, with character: Character = " ", style: Style) {
        let clipped = rect.intersection(bounds)
        guard !clipped.isEmpty else { return }
        let line = String(repeating: character, count: clipped.width / max(1, TextWidth.of(character)))
        for y in clipped.y..<clipped.maxY { put(line, x: clipped.x, y: y, style: style) }
    }

    /// Draws `text` at (x, y), cut so that it stays inside `clip`.
    public func put(_ text: String, x: Int, y: Int, style: Style, clip: Rect) {
        guard y >= clip.y, y < clip.maxY, x < clip.maxX else { return }
        var text = Substring(text)
        var x = x
        while x < clip.x, let first = text.first {
            x += TextWidth.of(first)
            text = text.dropFirst()
        }
        let fitted = TextWidth.prefix(of: text, fitting: clip.maxX - x)
        if !fitted.isEmpty { put(String(fitted), x: x, y: y, style: style) }
    }
}
