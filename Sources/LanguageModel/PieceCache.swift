import Foundation

/// Remembers the ids of pieces already encoded, shared by every thread using one tokenizer.
///
/// It stops taking new pieces at `capacity`, so a long run over varied text cannot grow it without bound.
final class PieceCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [Int]] = [:]
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The ids remembered for `piece`.
    func ids(for piece: String) -> [Int]? {
        lock.withLock { entries[piece] }
    }

    /// Remembers `ids` for `piece`, unless the cache is full.
    func store(_ ids: [Int], for piece: String) {
        lock.withLock {
            if entries.count < capacity { entries[piece] = ids }
        }
    }
}
