/// How a chart turns dots into characters.
public enum ChartGlyphs: Sendable, CaseIterable {
    /// Braille: 2×4 dots per cell.
    case braille
    /// Half blocks `▀ ▄ █`: 1×2 dots per cell.
    case blocks
    /// ASCII `' . :`: 1×2 dots per cell.
    case ascii

    /// Dots per cell across and down.
    public var resolution: (x: Int, y: Int) {
        switch self {
        case .braille: (2, 4)
        case .blocks, .ascii: (1, 2)
        }
    }

    /// The best glyphs a screen can show.
    public static func `for`(_ screen: Screen) -> ChartGlyphs { screen.supportsUnicode ? .braille : .ascii }

    /// The bit of the dot at (dx, dy) within a cell.
    func bit(dx: Int, dy: Int) -> UInt8 {
        switch self {
        case .braille:
            let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
            return bits[dx][dy]
        case .blocks, .ascii:
            return dy == 0 ? 1 : 2
        }
    }

    /// The character showing the dots in `bits`.
    func character(_ bits: UInt8) -> Character {
        switch self {
        case .braille: Character(Unicode.Scalar(0x2800 + UInt32(bits))!)
        case .blocks: [" ", "▀", "▄", "█"][Int(bits)]
        case .ascii: [" ", "'", ".", ":"][Int(bits)]
        }
    }
}

/// A grid of dots, each cell remembering which series drew in it last.
public struct DotCanvas {
    public let width: Int
    public let height: Int
    public let glyphs: ChartGlyphs
    private var bits: [UInt8]
    private var owner: [Int]

    /// A blank canvas of `width`×`height` cells.
    public init(width: Int, height: Int, glyphs: ChartGlyphs) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        bits = Array(repeating: 0, count: self.width * self.height)
        owner = Array(repeating: -1, count: self.width * self.height)
    }

    /// Dots across and down.
    public var dotWidth: Int { width * glyphs.resolution.x }
    public var dotHeight: Int { height * glyphs.resolution.y }

    /// Sets the dot at (x, y), dot coordinates from the top left; outside dots are ignored.
    public mutating func set(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let (rx, ry) = glyphs.resolution
        let cell = (y / ry) * width + x / rx
        bits[cell] |= glyphs.bit(dx: x % rx, dy: y % ry)
        owner[cell] = series
    }

    /// Draws a straight line of dots between two dot positions (Bresenham).
    public mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), series: Int) {
        var (x, y) = a
        let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
        let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
        var error = dx + dy
        while true {
            set(x: x, y: y, series: series)
            if x == b.x && y == b.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// The character and drawing series of the cell at (column, row), nil when empty.
    public func cell(column: Int, row: Int) -> (character: Character, series: Int)? {
        let index = row * width + column
        return bits[index] == 0 ? nil : (glyphs.character(bits[index]), owner[index])
    }
}
