import Foundation
@testable import Objectives
import Tensors
import Testing

/// The cache in front of a fake embedder that counts what reaches it.
struct EmbeddingCacheTests {
    /// Embeds a text as its length and first byte, normalised; remembers every text it was asked for.
    final class CountingEmbedder: SentenceEmbedder, @unchecked Sendable {
        let dimension = 2
        private let lock = NSLock()
        private var asked: [String] = []
        var seen: [String] { lock.withLock { asked } }

        func embed(_ texts: [String]) -> Matrix {
            lock.withLock { asked += texts }
            return Matrix(rows: texts.count, cols: 2, values: texts.flatMap { text -> [Float] in
                let v = [Float(text.utf8.count), Float(text.utf8.first ?? 0)]
                let norm = max((v[0] * v[0] + v[1] * v[1]).squareRoot(), 1e-12)
                return v.map { $0 / norm }
            })
        }
    }

    @Test func embedsEachTextOnce() throws {
        let fake = CountingEmbedder()
        let cache = try EmbeddingCache(encoder: fake, model: "fake")
        let first = cache.embed(["a", "bb", "a"])
        let second = cache.embed(["bb", "ccc"])
        #expect(fake.seen.sorted() == ["a", "bb", "ccc"])
        #expect(first.row(0) == first.row(2))
        #expect(first.row(1) == second.row(0))
        #expect(second.row(1) == fake.embed(["ccc"]).row(0))
        #expect(cache.count == 3)
    }

    @Test func persistsAcrossInstances() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/embeddings.bin"
            let texts = ["I feel lost.", "héllo", ""]
            let writer = try EmbeddingCache(encoder: CountingEmbedder(), model: "fake", path: path)
            let written = writer.embed(texts)
            try writer.save()

            let fake = CountingEmbedder()
            let reader = try EmbeddingCache(encoder: fake, model: "fake", path: path)
            #expect(reader.count == 3)
            #expect(reader.embed(texts) == written)
            #expect(fake.seen.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["embeddings.bin"])
        }
    }

    @Test func refusesAnotherModelsFile() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/embeddings.bin"
            let writer = try EmbeddingCache(encoder: CountingEmbedder(), model: "fake", path: path)
            _ = writer.embed(["x"])
            try writer.save()
            #expect(throws: FileError.self) { try EmbeddingCache(encoder: CountingEmbedder(), model: "other", path: path) }
            try Data("EMORLEMB garbage".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: FileError.self) { try EmbeddingCache(encoder: CountingEmbedder(), model: "fake", path: path) }
        }
    }

    @Test func textHashIsFNV1a128() {
        #expect(TextHash("").description == "6c62272e07bb014262b821756295c58d")
        #expect(TextHash("a").description == "d228cb696f1a8caf78912b704e4a8964")
        #expect(TextHash("héllo").description == "9b58a822e83c64bf6ef5e8cda5533838")
    }
}
