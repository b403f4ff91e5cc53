/// A named set of colours for every `ThemeKey`, and the styles the widgets draw with.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var colors: [ThemeKey: RGB]

    /// A theme; keys missing from `colors` take the default theme's colour.
    public init(name: String, colors: [ThemeKey: RGB]) {
        self.name = name
        self.colors = Theme.defaultColors.merging(colors) { _, new in new }
    }

    /// The colour of `key`.
    public subscript(key: ThemeKey) -> RGB { colors[key] ?? Theme.defaultColors[key]! }

    // MARK: - Styles

    /// Ordinary text on the main background.
    public var text: Style { on(.mainForeground) }
    /// Secondary text: labels, axis ticks, hints.
    public var muted: Style { on(.muted) }
    /// Panel titles.
    public var title: Style { on(.title, attributes: .bold) }
    /// The frame of a panel, focused or not.
    public func border(focused: Bool) -> Style {
        focused ? on(.focusedBorder, attributes: .bold) : on(.border, monochrome: .dim)
    }
    /// A selected row, button or slider label.
    public var selected: Style {
        Style(foreground: self[.selectedForeground], background: self[.selectedBackground], monochrome: .reverse)
    }
    /// The slider's knob and filled part.
    public var slider: Style { on(.slider, attributes: .bold) }
    /// The slider's empty track.
    public var sliderTrack: Style { on(.sliderTrack, monochrome: .dim) }
    /// Filled part of a score bar.
    public var bar: Style { on(.bar) }
    /// Empty part of a score bar.
    public var barTrack: Style { on(.barTrack, monochrome: .dim) }
    /// Good news: converged, best score.
    public var good: Style { on(.good, attributes: .bold) }
    /// Bad news: failures, error banners.
    public var bad: Style { on(.bad, attributes: .bold, monochrome: .reverse) }
    /// The colour of objective `index`.
    public func objective(_ index: Int) -> Style { on(.objective(index)) }
    /// A colour between `bad` (0) and `good` (1) for a score.
    public func scale(_ t: Double) -> Style {
        Style(foreground: self[.bad].mixed(with: self[.good], t), background: self[.mainBackground])
    }

    /// `key`'s colour as foreground on the main background.
    private func on(_ key: ThemeKey, attributes: Attributes = [], monochrome: Attributes = []) -> Style {
        Style(foreground: self[key], background: self[.mainBackground], attributes: attributes, monochrome: monochrome)
    }

    // MARK: - Default

    /// The built-in dark theme; `themes/default.theme` holds the same colours.
    public static let standard = Theme(name: "default", colors: [:])

    /// The colours of the default theme, the fallback for every missing key.
    static let defaultColors: [ThemeKey: RGB] = [
        .mainBackground: RGB(0x1C, 0x1E, 0x26),
        .mainForeground: RGB(0xD8, 0xDE, 0xE9),
        .title: RGB(0xEE, 0xEE, 0xEE),
        .border: RGB(0x4C, 0x56, 0x6A),
        .focusedBorder: RGB(0x88, 0xC0, 0xD0),
        .muted: RGB(0x7B, 0x84, 0x96),
        .selectedBackground: RGB(0x3B, 0x42, 0x52),
        .selectedForeground: RGB(0xEC, 0xEF, 0xF4),
        .slider: RGB(0x88, 0xC0, 0xD0),
        .sliderTrack: RGB(0x43, 0x4C, 0x5E),
        .bar: RGB(0xA3, 0xBE, 0x8C),
        .barTrack: RGB(0x3B, 0x42, 0x52),
        .good: RGB(0xA3, 0xBE, 0x8C),
        .bad: RGB(0xBF, 0x61, 0x6A),
        .objective1: RGB(0x5E, 0x81, 0xAC),
        .objective2: RGB(0xD0, 0x87, 0x70),
        .objective3: RGB(0xB4, 0x8E, 0xAD),
        .objective4: RGB(0xEB, 0xCB, 0x8B),
        .objective5: RGB(0x8F, 0xBC, 0xBB),
    ]
}
