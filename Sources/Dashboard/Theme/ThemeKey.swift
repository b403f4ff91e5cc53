/// The colour names a theme file can set, spelled as in `theme[key]="#rrggbb"`.
public enum ThemeKey: String, CaseIterable, Hashable, Sendable {
    case mainBackground = "main_bg"
    case mainForeground = "main_fg"
    case title = "title"
    case border = "border"
    case focusedBorder = "focused_border"
    case muted = "muted_fg"
    case selectedBackground = "selected_bg"
    case selectedForeground = "selected_fg"
    case slider = "slider"
    case sliderTrack = "slider_track"
    case bar = "bar"
    case barTrack = "bar_track"
    case good = "good"
    case bad = "bad"
    case objective1 = "objective1"
    case objective2 = "objective2"
    case objective3 = "objective3"
    case objective4 = "objective4"
    case objective5 = "objective5"

    /// The key of objective `index` (0-based), wrapping after the fifth.
    public static func objective(_ index: Int) -> ThemeKey {
        let keys: [ThemeKey] = [.objective1, .objective2, .objective3, .objective4, .objective5]
        return keys[((index % keys.count) + keys.count) % keys.count]
    }
}
