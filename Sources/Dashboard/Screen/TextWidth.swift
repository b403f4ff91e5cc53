/// Display width of text in terminal cells (East Asian wide characters take two, combining marks none).
public enum TextWidth {
    /// Cells taken by one character (0, 1 or 2).
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return of(scalar)
    }

    /// Cells taken by a whole string.
    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Cells taken by one scalar.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// Unicode ranges drawn two cells wide (East Asian Wide/Fullwidth and emoji blocks).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    /// The longest prefix of `text` that fits in `width` cells.
    public static func prefix(of text: some StringProtocol, fitting width: Int) -> Substring {
        let text = Substring(text)
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let w = of(text[end])
            if used + w > width { break }
            used += w
            end = text.index(after: end)
        }
        return text[..<end]
    }

    /// `text` cut to `width` cells, ending in `…` when it was cut.
    public static func truncated(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        return String(prefix(of: text, fitting: width - 1)) + "…"
    }

    /// `text` padded with spaces (or cut) to exactly `width` cells.
    public static func padded(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = String(prefix(of: text, fitting: width))
        let pad = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? pad + cut : cut + pad
    }
}
