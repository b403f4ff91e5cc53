/// The characters widgets draw with: Unicode box drawing and blocks, or plain ASCII.
public struct Glyphs: Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var corners: (topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character)
    public var focusedHorizontal: Character
    public var focusedVertical: Character
    public var focusedCorners: (topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character)
    public var sliderFilled: Character
    public var sliderKnob: Character
    public var sliderEmpty: Character
    /// Bar cells from one eighth to full (one entry for ASCII).
    public var barEighths: [Character]
    public var barEmpty: Character
    /// Heat-map shades from low to high score.
    public var shades: [Character]
    /// Between the items of a status line.
    public var separator: String
    public var cursor: Character
    public var best: Character

    /// Box drawing, eighth blocks, shades.
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", corners: ("╭", "╮", "╰", "╯"),
        focusedHorizontal: "━", focusedVertical: "┃", focusedCorners: ("┏", "┓", "┗", "┛"),
        sliderFilled: "━", sliderKnob: "●", sliderEmpty: "─",
        barEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"], barEmpty: " ",
        shades: ["░", "▒", "▓", "█"], separator: " · ", cursor: "▌", best: "★")

    /// Seven-bit ASCII only.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", corners: ("+", "+", "+", "+"),
        focusedHorizontal: "=", focusedVertical: "#", focusedCorners: ("#", "#", "#", "#"),
        sliderFilled: "=", sliderKnob: "O", sliderEmpty: "-",
        barEighths: ["#"], barEmpty: " ",
        shades: [".", ":", "+", "#"], separator: " | ", cursor: "_", best: "*")

    /// The glyphs a screen can show.
    public static func `for`(_ screen: Screen) -> Glyphs { screen.supportsUnicode ? .unicode : .ascii }
}
