/// Where a slider's parts are on screen, shared by drawing and mouse hit-testing.
public struct SliderGeometry: Hashable, Sendable {
    /// The label on the left.
    public var label: Rect
    /// The track the knob moves along (one row).
    public var track: Rect
    /// The value text on the right.
    public var value: Rect
    /// The value range.
    public var range: ClosedRange<Double>

    /// A slider row in `row`: label `labelWidth` wide, a value of `valueWidth` on the right, the track between.
    public init(row: Rect, labelWidth: Int, valueWidth: Int = 5, range: ClosedRange<Double> = 0...1) {
        let (label, rest) = row.splitLeft(min(labelWidth + 1, max(0, row.width - valueWidth - 4)))
        let (track, value) = rest.splitRight(valueWidth + 1)
        self.label = label
        self.track = track
        self.value = value
        self.range = range
    }

    /// The column of the knob for `value`.
    public func column(for value: Double) -> Int {
        let t = (min(max(value, range.lowerBound), range.upperBound) - range.lowerBound) / (range.upperBound - range.lowerBound)
        return track.x + Int((t * Double(max(0, track.width - 1))).rounded())
    }

    /// The value at column `x` (clamped to the track), rounded to hundredths.
    public func value(atColumn x: Int) -> Double {
        guard track.width > 1 else { return range.lowerBound }
        let t = Double(min(max(x - track.x, 0), track.width - 1)) / Double(track.width - 1)
        return ((range.lowerBound + t * (range.upperBound - range.lowerBound)) * 100).rounded() / 100
    }
}

/// A horizontal slider: label, track with knob, value.
public struct Slider {
    public var label: String
    public var value: Double
    public var selected: Bool
    /// The colour of the filled part and knob.
    public var style: Style
    /// Text shown instead of the value (numeric entry in progress).
    public var editText: String?

    public init(label: String, value: Double, selected: Bool, style: Style, editText: String? = nil) {
        self.label = label
        self.value = value
        self.selected = selected
        self.style = style
        self.editText = editText
    }

    /// Draws the slider into `geometry`'s row.
    public func draw(_ geometry: SliderGeometry, on screen: Screen, theme: Theme) {
        let g = Glyphs.for(screen)
        let name = TextWidth.padded(TextWidth.truncated(label, to: geometry.label.width - 1), to: geometry.label.width - 1)
        screen.put(name, x: geometry.label.x, y: geometry.label.y, style: selected ? theme.selected : theme.text)
        let knob = geometry.column(for: value) - geometry.track.x
        let track = geometry.track
        screen.put(String(repeating: g.sliderFilled, count: knob), x: track.x, y: track.y, style: style)
        screen.put(String(g.sliderKnob), x: track.x + knob, y: track.y, style: selected ? style.with(.bold) : style)
        screen.put(String(repeating: g.sliderEmpty, count: max(0, track.width - knob - 1)), x: track.x + knob + 1, y: track.y, style: theme.sliderTrack)
        let text = editText.map { $0 + String(g.cursor) } ?? Format.fixed(value, digits: 2)
        let valueStyle = editText == nil ? theme.text : theme.selected
        screen.put(TextWidth.padded(text, to: geometry.value.width - 1, alignRight: true), x: geometry.value.x + 1, y: geometry.value.y, style: valueStyle)
    }
}
