import Testing
@testable import LanguageModel

/// Holding back the bytes of a character split across tokens.
@Suite struct StreamingDecoderTests {
    @Test(arguments: [
        ([], 0), ([0x41], 0), ([0xE6], 1), ([0xE6, 0x97], 2), ([0xE6, 0x97, 0xA5], 0),
        ([0xF0, 0x9F, 0x99], 3), ([0xF0, 0x9F, 0x99, 0x82], 0), ([0x80], 0), ([0x41, 0xC3], 1), ([0xFF], 0),
    ] as [([UInt8], Int)])
    func incompleteSuffix(bytes: [UInt8], held: Int) {
        #expect(StreamingDecoder.incompleteSuffixLength(bytes) == held)
    }

    @Test func splitCharactersComeOutWhole() throws {
        // Tokens of single bytes: 🙂 is F0 9F 99 82, é is C3 A9.
        let tokenizer = try BPETokenizerTests.tiny()
        let ids = Array("é🙂!".utf8).map { Int($0) }
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        #expect(ids.map { decoder.decode(token: $0) } == ["", "é", "", "", "", "🙂", "!"])
        #expect(decoder.finish() == "")
    }

    @Test func finishFlushesAnIncompleteCharacter() throws {
        var decoder = StreamingDecoder(tokenizer: try BPETokenizerTests.tiny())
        #expect(decoder.decode(token: 0xE6) == "")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.finish() == "")
    }
}
