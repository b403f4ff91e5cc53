import Foundation
@testable import LanguageModel
import Tensors
import Testing

/// BPE merging, special tokens and validation on a tiny hand-made vocabulary.
@Suite struct BPETokenizerTests {
    /// The 256 byte tokens (id = byte), then merges, then one control token.
    static let tokens = ByteLevelAlphabet.scalars.map { String($0) } + ["Ġt", "he", "Ġthe", "ll", "<|end|>"]
    static let merges = ["Ġ t", "h e", "Ġt he", "l l"]
    static let types = [Int](repeating: 1, count: 260) + [3]

    static func tiny(model: String = "gpt2", pre: String = "smollm", merges: [String] = merges,
                     types: [Int] = types, eos: Int = 260) throws(TokenizerError) -> BPETokenizer {
        try BPETokenizer(model: model, preTokenizer: pre, tokens: tokens, merges: merges, tokenTypes: types, eosID: eos)
    }

    static func byte(_ character: Character) -> Int { Int(character.asciiValue!) }

    @Test func mergesByRank() throws {
        let tokenizer = try Self.tiny()
        #expect(tokenizer.encode(" the") == [258])
        #expect(tokenizer.encode("hello") == [257, 259, Self.byte("o")])
        #expect(tokenizer.encode("lll") == [259, Self.byte("l")], "on a tie the leftmost pair merges first")
        #expect(tokenizer.encode(" tthe") == [256, Self.byte("t"), 257], "pieces merge no further than their rules")
    }

    @Test func specialTokensAreMatchedAnywhere() throws {
        let tokenizer = try Self.tiny()
        #expect(tokenizer.encode("a<|end|>b") == [Self.byte("a"), 260, Self.byte("b")])
        #expect(tokenizer.encode("<|end|><|end|>") == [260, 260])
        #expect(tokenizer.encode("<|end|") == "<|end|".map(Self.byte), "an unfinished special token is plain text")
        #expect(tokenizer.decode([Self.byte("a"), 260]) == "a<|end|>")
        #expect(tokenizer.specialTokenID("<|end|>") == 260)
        #expect(tokenizer.specialTokenID("he") == nil)
    }

    @Test(arguments: ["", "plain ascii", "tab\tand\nnewline  ", "ünïcödé 日本語 🙂", "\u{0}\u{7F}\u{FFFD}"])
    func decodeInvertsEncode(text: String) throws {
        let tokenizer = try Self.tiny()
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
    }

    @Test func bytesWithoutATokenAreDropped() throws {
        var tokens = Self.tokens + ["!!"]
        tokens[4] = "unused"  // byte 0x04 now has no token of its own
        let tokenizer = try BPETokenizer(tokens: tokens, merges: Self.merges + ["! !"], tokenTypes: Self.types + [1], eosID: 260)
        #expect(tokenizer.encode("!\u{4}!") == [261], "the neighbours of a dropped byte still merge")
    }

    @Test func encodesTheSameFromManyTasksAtOnce() async throws {
        let tokenizer = try Self.tiny()
        let texts = (0..<64).map { "hello the world \($0) <|end|> well" }
        let expected = texts.map { tokenizer.encode($0) }
        let results = await withTaskGroup(of: (Int, [Int]).self) { group in
            for (i, text) in texts.enumerated() { group.addTask { (i, tokenizer.encode(text)) } }
            return await group.reduce(into: [Int: [Int]]()) { $0[$1.0] = $1.1 }
        }
        #expect(texts.indices.map { results[$0]! } == expected)
    }

    // MARK: - Validation

    @Test func rejectsANonGPT2Model() {
        #expect(throws: TokenizerError(field: "tokenizer.ggml.model",
                                       reason: "tokenizer model \"llama\" is not supported (expected \"gpt2\", byte-level BPE)")) {
            try Self.tiny(model: "llama")
        }
    }

    @Test func rejectsAnUnknownPreTokenizer() {
        #expect { try Self.tiny(pre: "llama3") } throws: { error in
            (error as? TokenizerError)?.field == "tokenizer.ggml.pre"
                && (error as? TokenizerError)?.reason.contains("\"llama3\"") == true
        }
    }

    @Test(arguments: [["Ġt"], ["h e x"], ["q z"]])
    func rejectsABadMerge(merges: [String]) {
        #expect { try Self.tiny(merges: merges) } throws: { error in
            (error as? TokenizerError)?.field == "tokenizer.ggml.merges"
        }
    }

    @Test func rejectsMismatchedTypesAndEOS() {
        #expect { try Self.tiny(types: [1]) } throws: { ($0 as? TokenizerError)?.field == "tokenizer.ggml.token_type" }
        #expect { try Self.tiny(eos: 261) } throws: { ($0 as? TokenizerError)?.field == "tokenizer.ggml.eos_token_id" }
    }

    @Test func ggufErrorsNameTheFileAndTheField() throws {
        let path = try TinyTokenizerGGUF.write(model: "llama")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gguf = try GGUFFile(path: path)
        #expect { try BPETokenizer(gguf: gguf) } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.path == path && error.reason.hasPrefix("tokenizer.ggml.model: ")
        }
    }

    @Test func readsATinyGGUF() throws {
        let path = try TinyTokenizerGGUF.write(model: "gpt2")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tokenizer = try BPETokenizer(gguf: GGUFFile(path: path))
        #expect(tokenizer.encode(" the<|end|>") == [258, 260])
        #expect(tokenizer.eosID == 260)
    }
}

/// Writes a GGUF v3 file holding only the tiny vocabulary's tokenizer metadata.
private enum TinyTokenizerGGUF {
    static func write(model: String) throws -> String {
        var bytes = Array("GGUF".utf8)
        append(UInt32(3), to: &bytes)
        append(UInt64(0), to: &bytes)  // tensors
        append(UInt64(6), to: &bytes)  // metadata entries
        string(key: "tokenizer.ggml.model", model, to: &bytes)
        string(key: "tokenizer.ggml.pre", "smollm", to: &bytes)
        strings(key: "tokenizer.ggml.tokens", BPETokenizerTests.tokens, to: &bytes)
        strings(key: "tokenizer.ggml.merges", BPETokenizerTests.merges, to: &bytes)
        header(key: "tokenizer.ggml.token_type", type: 9, to: &bytes)
        append(UInt32(5), to: &bytes)  // i32 elements
        append(UInt64(BPETokenizerTests.types.count), to: &bytes)
        for type in BPETokenizerTests.types { append(Int32(type), to: &bytes) }
        header(key: "tokenizer.ggml.eos_token_id", type: 4, to: &bytes)
        append(UInt32(260), to: &bytes)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        append(UInt64(text.utf8.count), to: &bytes)
        bytes += text.utf8
    }

    private static func header(key: String, type: UInt32, to bytes: inout [UInt8]) {
        append(key, to: &bytes)
        append(type, to: &bytes)
    }

    private static func string(key: String, _ value: String, to bytes: inout [UInt8]) {
        header(key: key, type: 8, to: &bytes)
        append(value, to: &bytes)
    }

    private static func strings(key: String, _ values: [String], to bytes: inout [UInt8]) {
        header(key: key, type: 9, to: &bytes)
        append(UInt32(8), to: &bytes)
        append(UInt64(values.count), to: &bytes)
        for value in values { append(value, to: &bytes) }
    }
}
