import Foundation
@testable import Objectives
import Tensors
import Testing

/// The encoder on the real all-MiniLM-L6-v2 weights.
struct SentenceEncoderTests {
    @Test func embeddingsAreUnitLengthAndBatchIndependent() throws {
        let encoder = try Assets.sharedEncoder.get()
        let texts = ["I can't sleep since my mother died.", "Work has been overwhelming lately.", "ok"]
        let batch = encoder.embed(texts)
        #expect(batch.rows == 3 && batch.cols == 384)
        for (i, text) in texts.enumerated() {
            let alone = encoder.embed([text])
            let norm = batch.row(i).reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            #expect(zip(alone.row(0), batch.row(i)).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func concurrentCallersGetTheSameEmbeddings() async throws {
        let encoder = try Assets.sharedEncoder.get()
        let texts = ["My sister never calls me back.", "I guess I'm fine.", "School is a lot right now, honestly."]
        let expected = encoder.embed(texts)
        let results = await withTaskGroup(of: Matrix.self) { group in
            for _ in 0..<4 { group.addTask { encoder.embed(texts) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == expected })
    }

    @Test func missingAssetNamesTheFileAndTheFix() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-encoder-\(UUID())").path
        do {
            _ = try SentenceEncoder(assets: EncoderAssets(directory: folder))
            Issue.record("loading from an empty folder succeeded")
        } catch let error as FileError {
            #expect(error.path == folder + "/config.json")
            #expect(error.description.contains("scripts/setup"))
        }
    }
}
