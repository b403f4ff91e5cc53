/// A 24-bit colour.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `#rrggbb` (or `rrggbb`); nil when malformed.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    public var description: String {
        "#" + [red, green, blue].map { String($0, radix: 16).leftPadded(to: 2, with: "0") }.joined()
    }

    /// The colour `t` of the way from `self` to `other` (t clamped to [0, 1]).
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        let t = min(1, max(0, t))
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(lerp(red, other.red), lerp(green, other.green), lerp(blue, other.blue))
    }
}

/// Text attributes a terminal can show without colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
}

/// How a cell is drawn: colours (nil = terminal default) and attributes.
///
/// `monochrome` holds extra attributes used only when colours cannot be shown,
/// so that focus and selection stay visible under `NO_COLOR`.
public struct Style: Hashable, Sendable {
    public var foreground: RGB?
    public var background: RGB?
    public var attributes: Attributes
    public var monochrome: Attributes

    public init(foreground: RGB? = nil, background: RGB? = nil, attributes: Attributes = [], monochrome: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.monochrome = monochrome
    }

    /// The terminal's default style.
    public static let plain = Style()

    /// The same style with `attributes` added.
    public func with(_ extra: Attributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }

    /// The same style with another foreground colour.
    public func with(foreground: RGB?) -> Style {
        var copy = self
        copy.foreground = foreground
        return copy
    }
}

extension String {
    /// The string padded on the left to `width` characters.
    func leftPadded(to width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
