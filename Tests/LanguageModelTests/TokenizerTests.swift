import Foundation
import Testing
@testable import LanguageModel

/// SmolLM2's tokenizer read from the real GGUF, checked id for id against Hugging Face `tokenizers`.
@Suite struct TokenizerTests {
    /// `tokenizer_cases.json`, written by `scripts/reference/make_tokenizer_fixture.py`.
    struct Fixture: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
        }
        struct Chat: Decodable {
            let messages: [ChatMessage]
            let text: String
            let ids: [Int]
        }
        let cases: [Case]
        let chat: [Chat]
    }

    static func fixture() throws -> Fixture {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tokenizer_cases.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test func everyFixtureCaseEncodesToTheReferenceIDs() throws {
        let tokenizer = try smolLM2Tokenizer()
        let cases = try Self.fixture().cases
        #expect(!cases.isEmpty)
        let failures = cases.filter { tokenizer.encode($0.text) != $0.ids }
        for failure in failures.prefix(10) {
            Issue.record("\(failure.text.debugDescription): got \(tokenizer.encode(failure.text)), expected \(failure.ids)")
        }
        #expect(failures.isEmpty, "\(cases.count - failures.count) of \(cases.count) cases match")
    }

    @Test func everyFixtureCaseDecodesBackToItsText() throws {
        let tokenizer = try smolLM2Tokenizer()
        for item in try Self.fixture().cases {
            #expect(tokenizer.decode(tokenizer.encode(item.text)) == item.text)
        }
    }

    @Test func chatTemplateRendersAndEncodesLikeTheReference() throws {
        let tokenizer = try smolLM2Tokenizer()
        for chat in try Self.fixture().chat {
            let text = ChatTemplate.smolLM2.render(chat.messages, addGenerationPrompt: true)
            #expect(text == chat.text)
            #expect(tokenizer.encode(text) == chat.ids)
        }
    }

    @Test func readsSmolLM2Metadata() throws {
        let tokenizer = try smolLM2Tokenizer()
        #expect(tokenizer.vocabularySize == 49_152)
        #expect(tokenizer.eosID == 2)
        #expect(tokenizer.preTokenizer.name == "smollm")
        #expect(tokenizer.specialTokenID("<|endoftext|>") == 0)
        #expect(tokenizer.specialTokenID("<|im_start|>") == 1)
        #expect(tokenizer.specialTokenID("<|im_end|>") == 2)
        #expect(tokenizer.specialTokenID("Hello") == nil)
    }

    @Test func streamingDecodeOfEmojiAndCJKEqualsWholeDecode() throws {
        let tokenizer = try smolLM2Tokenizer()
        let text = "héllo 日本語 🙂 done"
        let ids = tokenizer.encode(text)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var pieces = ids.map { decoder.decode(token: $0) }
        pieces.append(decoder.finish())
        #expect(pieces.joined() == text)
        #expect(pieces.contains(""), "some character spans tokens, so some step must hold its bytes back")
    }

    @Test func chatTemplateAgreesWithTheGGUFTemplateText() throws {
        let gguf = try GGUFFile(path: try smolLM2Path())
        let template = try gguf.string("tokenizer.chat_template")
        #expect(template.contains(ChatTemplate.smolLM2.defaultSystemPrompt!))
        #expect(template.contains("'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'"))
    }
}

/// The SmolLM2 GGUF in the asset cache (`$EMORL_HOME`, default `${XDG_CACHE_HOME:-~/.cache}/emorl`).
private func smolLM2Path() throws -> String {
    let environment = ProcessInfo.processInfo.environment
    let home = environment["EMORL_HOME"]
        ?? (environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/emorl"
    let path = home + "/SmolLM2-135M-Instruct.Q4_1.gguf"
    guard FileManager.default.fileExists(atPath: path) else {
        throw MissingAsset(path: path)
    }
    return path
}

/// A model asset the tests need is not in the cache.
private struct MissingAsset: Error, CustomStringConvertible {
    let path: String
    var description: String { "missing \(path): run scripts/setup to fetch the model assets" }
}

/// One tokenizer shared by the tests, read once.
private let sharedTokenizer = Result { try BPETokenizer(gguf: GGUFFile(path: smolLM2Path())) }

private func smolLM2Tokenizer() throws -> BPETokenizer {
    try sharedTokenizer.get()
}
