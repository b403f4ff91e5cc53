import Testing
@testable import Dashboard

@Suite struct TextTests {
    @Test func widths() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("漢字") == 4)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("⣿━●") == 3)
        #expect(TextWidth.truncated("reflection", to: 5) == "refl…")
        #expect(TextWidth.padded("漢字", to: 5, alignRight: true) == " 漢字")
    }

    @Test func wrapping() {
        #expect(WrappedText.wrap("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(WrappedText.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(WrappedText.wrap("漢字かな漢字", width: 5) == ["漢字", "かな", "漢字"])
        #expect(WrappedText.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(WrappedText.wrap("", width: 5) == [""])
    }

    @Test func cellGridKeepsWideCharactersWhole() {
        let grid = CellGrid(size: Size(width: 6, height: 1))
        grid.put("漢字", x: 0, y: 0, style: .plain)
        #expect(grid.textDump() == "漢字\n")
        grid.put("x", x: 1, y: 0, style: .plain)
        #expect(grid.textDump() == " x字\n")
        grid.put("漢字漢", x: 1, y: 0, style: .plain)
        #expect(grid.textDump() == " 漢字\n", "a wide character that would cross the edge is dropped")
    }

    @Test func formats() {
        #expect(Format.fixed(-0.0004, digits: 2) == "0.00")
        #expect(Format.fixed(-1.005, digits: 1) == "-1.0")
        #expect(Format.fixed(0.8, digits: 2) == "0.80")
        #expect(Format.grouped(17529) == "17,529")
        #expect(Format.duration(185) == "3m05s")
        #expect(Format.duration(3720) == "1h02m")
    }
}
