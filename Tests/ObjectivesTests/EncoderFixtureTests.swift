import Foundation
import Testing
import Tensors
@testable import Objectives

/// The encoder against the reference fixture (transformers BertModel + mean pooling + L2, made by
/// scripts/reference/make_encoder_fixture.py): identical ids, cosine ≥ 0.9999 for every embedding.
struct EncoderFixtureTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let embedding: [Float]
        }
        struct TokenizerCase: Decodable {
            let text: String
            let ids: [Int]
            let tokens: [String]
        }
        let maxSeqLength: Int
        let cases: [Case]
        let tokenizerOnly: [TokenizerCase]

        enum CodingKeys: String, CodingKey {
            case maxSeqLength = "max_seq_length"
            case cases
            case tokenizerOnly = "tokenizer_only"
        }

        static func load() throws -> Fixture {
            try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: Assets.fixture("encoder_cases.json"))))
        }
    }

    @Test func tokenizerMatchesReferenceIDs() throws {
        let fixture = try Fixture.load()
        let tokenizer = try WordPieceTokenizer(vocabularyPath: Assets.encoder.vocabularyPath, maxLength: fixture.maxSeqLength)
        var passed = 0
        for item in fixture.cases.map({ ($0.text, $0.ids) }) + fixture.tokenizerOnly.map({ ($0.text, $0.ids) }) {
            let ids = tokenizer.encode(item.0)
            #expect(ids == item.1, "\(item.0.debugDescription)")
            if ids == item.1 { passed += 1 }
        }
        for item in fixture.tokenizerOnly {
            #expect(item.ids.map { tokenizer.tokens[$0] } == item.tokens)
        }
        print("encoder fixture: ids identical for \(passed) of \(fixture.cases.count + fixture.tokenizerOnly.count) strings")
    }

    @Test func embeddingsMatchReference() throws {
        let fixture = try Fixture.load()
        let encoder = try Assets.sharedEncoder.get()
        #expect(fixture.cases.count >= 50)
        let embeddings = encoder.embed(fixture.cases.map(\.text))    // [B, 384]
        var minimumCosine: Float = 1, maximumDifference: Float = 0
        for (i, item) in fixture.cases.enumerated() {
            let row = embeddings.row(i)
            let cosine = zip(row, item.embedding).reduce(0) { $0 + $1.0 * $1.1 }
                / (row.reduce(0) { $0 + $1 * $1 } * item.embedding.reduce(0) { $0 + $1 * $1 }).squareRoot()
            #expect(cosine >= 0.9999, "\(item.text.debugDescription): cosine \(cosine)")
            minimumCosine = min(minimumCosine, cosine)
            maximumDifference = max(maximumDifference, zip(row, item.embedding).map { abs($0 - $1) }.max() ?? 0)
        }
        print("encoder fixture: \(fixture.cases.count) embeddings, minimum cosine \(minimumCosine), maximum |difference| \(maximumDifference)")
    }
}
