import Foundation
import Tensors
@testable import Objectives

/// A deterministic stand-in for the sentence encoder: unit vectors from the text's hash, `seed` picking a
/// different "model". Counts the texts it is asked to embed.
final class FakeEmbedder: SentenceEmbedder, @unchecked Sendable {
    let dimension: Int
    let seed: UInt64
    private let lock = NSLock()
    private var embedded = 0

    init(dimension: Int = 8, seed: UInt64 = 1) {
        self.dimension = dimension
        self.seed = seed
    }

    /// How many texts reached this embedder.
    var calls: Int { lock.withLock { embedded } }

    func embed(_ texts: [String]) -> Matrix {
        lock.withLock { embedded += texts.count }
        return Matrix(rows: texts.count, cols: dimension, values: texts.flatMap { text -> [Float] in
            var random = SeededRandom(seed: TextHash(text).low ^ seed)
            let v = (0..<dimension).map { _ in random.nextUnitFloat() - 0.5 }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        })
    }
}
