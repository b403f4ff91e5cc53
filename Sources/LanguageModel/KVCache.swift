/// Keys and values of the positions seen so far, per block, for one sequence.
///
/// The first positions may live in a `KVPrefix` shared read-only with other caches (the prompt of several samples);
/// the cache's own storage then holds only the positions after it.
public struct KVCache: Sendable {
    /// Positions the cache can hold.
    public let capacity: Int
    /// Width of one position's keys (Hkv·D).
    public let width: Int
    /// Positions filled so far (the shared prefix's included).
    public private(set) var count = 0
    /// Positions `0 ..< prefix.count`, shared; nil when the cache stores every position itself.
    let prefix: KVPrefix?
    /// Per block: keys of positions `prefixCount ..< capacity` `[capacity − prefixCount, Hkv·D]`, RoPE already applied.
    var keys: [[Float]]
    /// Per block: values of positions `prefixCount ..< capacity` `[capacity − prefixCount, Hkv·D]`.
    var values: [[Float]]

    /// An empty cache for `config`, holding up to `capacity` positions.
    public init(config: LlamaConfig, capacity: Int) {
        self.capacity = capacity
        self.width = config.kvWidth
        prefix = nil
        keys = Array(repeating: [Float](repeating: 0, count: capacity * config.kvWidth), count: config.blockCount)
        values = keys
    }

    /// A cache that starts with `prefix`'s positions (read in place, never copied) and holds up to `capacity`.
    init(config: LlamaConfig, capacity: Int, prefix: KVPrefix) {
        precondition(prefix.count <= capacity && prefix.width == config.kvWidth && prefix.blockCount == config.blockCount,
                     "a \(prefix.count)-position prefix does not fit a cache of \(capacity)")
        self.capacity = capacity
        self.width = config.kvWidth
        self.prefix = prefix
        count = prefix.count
        keys = Array(repeating: [Float](repeating: 0, count: (capacity - prefix.count) * config.kvWidth), count: config.blockCount)
        values = keys
    }

    /// Positions read from the shared prefix.
    var prefixCount: Int { prefix?.count ?? 0 }

    /// Marks `n` more positions as filled (after every block wrote them).
    mutating func advance(by n: Int) {
        count += n
    }

    /// Forgets everything after the first `n` positions (to reuse a shared prefix).
    public mutating func truncate(to n: Int) {
        precondition(n <= count, "cannot truncate a cache of \(count) positions to \(n)")
        precondition(n >= prefixCount, "cannot truncate into the \(prefixCount) shared positions")
        count = n
    }
}

/// The keys and values of a cache's first positions, frozen and shared read-only by several caches.
final class KVPrefix: @unchecked Sendable {
    let count: Int
    let width: Int
    let blockCount: Int
    /// Per block: keys, then values, `[count, width]` each, at stable addresses.
    private let storage: UnsafeMutablePointer<Float>

    /// A copy of `cache`'s filled positions (which must be its own).
    init(_ cache: KVCache) {
        precondition(cache.prefix == nil, "a prefix is made from a cache that owns its positions")
        count = cache.count
        width = cache.width
        blockCount = cache.keys.count
        storage = .allocate(capacity: max(1, 2 * blockCount * count * width))
        for block in 0..<blockCount {
            cache.keys[block].withUnsafeBufferPointer { keys(block).update(from: $0.baseAddress!, count: count * width) }
            cache.values[block].withUnsafeBufferPointer { values(block).update(from: $0.baseAddress!, count: count * width) }
        }
    }

    deinit { storage.deallocate() }

    /// Block `block`'s keys `[count, width]`.
    func keys(_ block: Int) -> UnsafeMutablePointer<Float> { storage + 2 * block * count * width }
    /// Block `block`'s values `[count, width]`.
    func values(_ block: Int) -> UnsafeMutablePointer<Float> { storage + (2 * block + 1) * count * width }
}
