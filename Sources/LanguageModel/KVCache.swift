/// Keys and values of the positions seen so far, per block, for one sequence.
public struct KVCache: Sendable {
    /// Positions the cache can hold.
    public let capacity: Int
    /// Width of one position's keys (Hkv·D).
    public let width: Int
    /// Positions filled so far.
    public private(set) var count = 0
    /// Per block: keys `[capacity, Hkv·D]`, RoPE already applied.
    var keys: [[Float]]
    /// Per block: values `[capacity, Hkv·D]`.
    var values: [[Float]]

    /// An empty cache for `config`, holding up to `capacity` positions.
    public init(config: LlamaConfig, capacity: Int) {
        self.capacity = capacity
        self.width = config.kvWidth
        keys = Array(repeating: [Float](repeating: 0, count: capacity * config.kvWidth), count: config.blockCount)
        values = keys
    }

    /// Marks `n` more positions as filled (after every block wrote them).
    mutating func advance(by n: Int) {
        count += n
    }

    /// Forgets everything after the first `n` positions (to reuse a shared prefix).
    public mutating func truncate(to n: Int) {
        precondition(n <= count, "cannot truncate a cache of \(count) positions to \(n)")
        count = n
    }
}
