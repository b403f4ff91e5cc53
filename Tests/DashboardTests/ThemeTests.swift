import Foundation
import Testing
@testable import Dashboard

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func missingKeysFallBackToTheDefault() throws {
        let theme = try ThemeFile.parse("# only two\n\ntheme[main_bg]=\"#ffffff\"\n  theme[bad] = \"#102030\"\ntheme[unknown]=\"#000000\"\n", name: "partial", file: "partial.theme")
        #expect(theme[.mainBackground] == RGB(255, 255, 255))
        #expect(theme[.bad] == RGB(0x10, 0x20, 0x30))
        #expect(theme[.objective3] == Theme.standard[.objective3])
    }

    @Test(arguments: [
        ("theme[main_bg]=\"#ffffff\"\ntheme[bar]=#00ff00\n", 2, "double quotes"),
        ("\n\ntheme[good]=\"#12345\"", 3, "not a #rrggbb"),
        ("theme[good]=\"#123456\"\nmain_bg = white", 2, "expected theme[key]"),
    ])
    func malformedLinesNameFileAndLine(text: String, line: Int, reason: String) {
        #expect {
            try ThemeFile.parse(text, name: "broken", file: "themes/broken.theme")
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("themes/broken.theme:\(line): ") && message.contains(reason)
        }
    }

    @Test func malformedFileLoadsTheDefaultWithAMessage() throws {
        let path = NSTemporaryDirectory() + "emorl-broken-\(UUID().uuidString).theme"
        try "theme[main_bg]=\"#ffffff\"\noops\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = ThemeFile.load(path: path)
        #expect(loaded.theme == .standard)
        #expect(loaded.warning?.contains("\(path):2") == true)
        #expect(ThemeFile.load(path: path + ".missing").warning?.contains("cannot read") == true)
    }

    @Test func shippedThemesAreCompleteAndDefaultMatchesTheBuiltIn() throws {
        let names = ThemeFile.names(in: ThemeTests.themesDirectory)
        #expect(names.first == "default")
        #expect(names.count >= 4 && names.contains("light") && names.contains("high-contrast"))
        for name in names {
            let path = ThemeTests.themesDirectory + "/\(name).theme"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let theme = try ThemeFile.parse(text, name: name, file: path)
            for key in ThemeKey.allCases { #expect(text.contains("theme[\(key.rawValue)]="), "\(name) sets \(key.rawValue)") }
            if name == "default" { #expect(theme.colors == Theme.standard.colors) }
        }
        let rendered = try ThemeFile.parse(ThemeFile.render(.standard), name: "default", file: "rendered")
        #expect(rendered == .standard)
    }

    // MARK: - Colour depth

    @Test(arguments: [
        (["TERM": "xterm-256color", "COLORTERM": "truecolor"], nil, ColorDepth.trueColor),
        (["TERM": "xterm-256color", "COLORTERM": "truecolor"], 256, .palette256),
        (["TERM": "xterm-direct"], 1 << 24, .trueColor),
        (["TERM": "xterm-256color"], nil, .palette256),
        (["TERM": "xterm"], 8, .palette16),
        (["TERM": "screen"], nil, .palette16),
        (["TERM": "vt100"], 2, .monochrome),
        (["TERM": "dumb"], nil, .monochrome),
        (["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"], 1 << 24, .monochrome),
        (["TERM": "xterm-256color", "NO_COLOR": ""], 256, .palette256),
    ] as [([String: String], Int?, ColorDepth)])
    func depthFromTheEnvironment(environment: [String: String], colors: Int?, expected: ColorDepth) {
        #expect(ColorDepth.detect(environment: environment, terminalColors: colors) == expected)
    }

    @Test func nearestPaletteColours() {
        #expect(ColorDepth.nearest256(RGB(255, 0, 0)) == 196)
        #expect(ColorDepth.nearest256(RGB(0, 0, 0)) == 16)
        #expect(ColorDepth.nearest256(RGB(255, 255, 255)) == 231)
        #expect(ColorDepth.nearest256(RGB(0x80, 0x80, 0x80)) == 244)
        #expect(ColorDepth.nearest256(RGB(0x87, 0xAF, 0xD7)) == 110)
        #expect(ColorDepth.nearest16(RGB(250, 10, 10)) == 9)
        #expect(ColorDepth.nearest16(RGB(200, 0, 0)) == 1)
        #expect(ColorDepth.nearest16(RGB(20, 20, 20)) == 0)
        #expect(ColorDepth.trueColor.colorNumber(for: RGB(0x12, 0x34, 0x56)) == 0x123456)
        #expect(ColorDepth.monochrome.colorNumber(for: RGB(1, 2, 3)) == nil)
    }

    @Test func monochromeKeepsFocusAndSelectionVisible() {
        let theme = Theme.standard
        #expect(theme.selected.monochrome.contains(.reverse))
        #expect(theme.border(focused: true).attributes.contains(.bold))
        #expect(theme.bad.monochrome.contains(.reverse))
    }
}
