import Foundation
import Tensors

/// A bounded in-memory cache in front of an embedder, so objectives that read the same texts (reflection and
/// empathy both embed each response; a prompt recurs for its samples) embed each text once.
///
/// Two generations: lookups see both, inserts go to the current one, and when it holds `capacity` texts the
/// older generation is dropped. Memory stays under 2 · capacity embeddings.
public final class RecentEmbeddings: SentenceEmbedder, @unchecked Sendable {
    public let embedder: any SentenceEmbedder
    public let capacity: Int
    private let lock = NSLock()
    private var current: [TextHash: [Float]] = [:]      // each [C]
    private var previous: [TextHash: [Float]] = [:]

    public init(_ embedder: any SentenceEmbedder, capacity: Int = 4096) {
        precondition(capacity >= 1)
        self.embedder = embedder
        self.capacity = capacity
    }

    public var dimension: Int { embedder.dimension }

    /// Embeddings `[B, C]`; texts not held are embedded in one batch, each once.
    public func embed(_ texts: [String]) -> Matrix {
        let keys = texts.map(TextHash.init)
        var found: [TextHash: [Float]] = [:]
        var missing: [TextHash: String] = [:]
        lock.withLock {
            for (key, text) in zip(keys, texts) where found[key] == nil {
                if let hit = current[key] ?? previous[key] { found[key] = hit } else { missing[key] = text }
            }
        }
        if !missing.isEmpty {
            let order = Array(missing.keys)
            let computed = embedder.embed(order.map { missing[$0]! })      // [M, C]
            lock.withLock {
                for (i, key) in order.enumerated() {
                    found[key] = computed.row(i)
                    if current.count >= capacity {
                        previous = current
                        current = [:]
                    }
                    current[key] = found[key]
                }
            }
        }
        return Matrix(rows: texts.count, cols: dimension, values: keys.flatMap { found[$0]! })
    }
}
