/// Horizontal bars for values in [0, 1], one row each: label, bar, value.
public struct ScoreBars {
    /// One bar.
    public struct Entry: Sendable {
        public var label: String
        public var value: Double?
        public var style: Style

        public init(label: String, value: Double?, style: Style) {
            self.label = label
            self.value = value
            self.style = style
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Draws one row per entry from the top of `rect` (as many as fit); a missing value shows `-`.
    public func draw(in rect: Rect, on screen: Screen, theme: Theme) {
        let g = Glyphs.for(screen)
        let labelWidth = min(entries.map { TextWidth.of($0.label) }.max() ?? 0, max(0, rect.width / 3))
        for (row, entry) in entries.prefix(rect.height).enumerated() {
            let y = rect.y + row
            screen.put(TextWidth.padded(entry.label, to: labelWidth), x: rect.x, y: y, style: theme.text, clip: rect)
            let barX = rect.x + labelWidth + 1, barWidth = rect.width - labelWidth - 7
            let valueText = entry.value.map { Format.fixed($0, digits: 2) } ?? "-"
            screen.put(TextWidth.padded(valueText, to: 5, alignRight: true), x: rect.maxX - 5, y: y, style: theme.text, clip: rect)
            guard barWidth > 0 else { continue }
            screen.put(String(repeating: " ", count: barWidth), x: barX, y: y, style: theme.barTrack.with(.reverse))
            screen.put(ScoreBars.bar(entry.value ?? 0, width: barWidth, glyphs: g), x: barX, y: y, style: entry.style)
        }
    }

    /// The bar text for `value` in `width` cells, using eighth blocks when there are any.
    static func bar(_ value: Double, width: Int, glyphs: Glyphs) -> String {
        let steps = glyphs.barEighths.count
        let units = Int((min(max(value, 0), 1) * Double(width * steps)).rounded())
        let full = String(repeating: glyphs.barEighths[steps - 1], count: units / steps)
        return units % steps == 0 ? full : full + String(glyphs.barEighths[units % steps - 1])
    }
}
