/// How many colours the terminal shows, from richest to none.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    case monochrome
    case palette16
    case palette256
    case trueColor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth to use given the environment and, when ncurses is up, its `COLORS`.
    ///
    /// `NO_COLOR` (set, not empty) forces monochrome. Truecolor needs `COLORTERM=truecolor|24bit`
    /// (or a `-direct` TERM) and, if known, a terminal that reports 2^24 colours.
    public static func detect(environment: [String: String], terminalColors: Int? = nil) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let term = environment["TERM"] ?? ""
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if term.isEmpty || term == "dumb" { return .monochrome }
        let wantsTrue = colorTerm == "truecolor" || colorTerm == "24bit" || term.hasSuffix("-direct")
        if let colors = terminalColors {
            if wantsTrue && colors >= 1 << 24 { return .trueColor }
            if colors >= 256 { return .palette256 }
            return colors >= 8 ? .palette16 : .monochrome
        }
        if wantsTrue { return .trueColor }
        return term.contains("256color") ? .palette256 : .palette16
    }

    /// The terminal colour number for `rgb` at this depth (nil when monochrome).
    ///
    /// Truecolor numbers are `0xRRGGBB` as direct-colour terminfo expects.
    public func colorNumber(for rgb: RGB) -> Int? {
        switch self {
        case .monochrome: nil
        case .palette16: ColorDepth.nearest16(rgb)
        case .palette256: ColorDepth.nearest256(rgb)
        case .trueColor: Int(rgb.red) << 16 | Int(rgb.green) << 8 | Int(rgb.blue)
        }
    }

    // MARK: - Nearest colours

    /// The xterm-256 index (16…255: the 6×6×6 cube or the grey ramp) nearest to `rgb`.
    public static func nearest256(_ rgb: RGB) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func cubeIndex(_ v: UInt8) -> Int {
            levels.indices.min { abs(levels[$0] - Int(v)) < abs(levels[$1] - Int(v)) }!
        }
        let (r, g, b) = (cubeIndex(rgb.red), cubeIndex(rgb.green), cubeIndex(rgb.blue))
        let cube = RGB(UInt8(levels[r]), UInt8(levels[g]), UInt8(levels[b]))
        let average = (Int(rgb.red) + Int(rgb.green) + Int(rgb.blue)) / 3
        let greyStep = min(23, max(0, (average - 3) / 10))
        let greyLevel = UInt8(8 + 10 * greyStep)
        let grey = RGB(greyLevel, greyLevel, greyLevel)
        return distance(rgb, grey) < distance(rgb, cube) ? 232 + greyStep : 16 + 36 * r + 6 * g + b
    }

    /// The index (0…15) of the nearest colour of the standard xterm 16-colour palette.
    public static func nearest16(_ rgb: RGB) -> Int {
        ansiColors.indices.min { distance(rgb, ansiColors[$0]) < distance(rgb, ansiColors[$1]) }!
    }

    /// The xterm default values of the 16 ANSI colours.
    static let ansiColors: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// Squared distance weighted for perceived brightness (red 2, green 4, blue 3).
    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.red) - Int(b.red), dg = Int(a.green) - Int(b.green), db = Int(a.blue) - Int(b.blue)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}
