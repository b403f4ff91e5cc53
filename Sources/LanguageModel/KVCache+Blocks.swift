/// Raw access and prefix copies for the quantized engine.
extension KVCache {
    /// Runs `body` with block `layer`'s own keys and values, each `[capacity − prefixCount, Hkv·D]` (positions from
    /// `prefixCount` on).
    mutating func withBlock<R>(_ layer: Int, _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> R) -> R {
        keys[layer].withUnsafeMutableBufferPointer { k in
            values[layer].withUnsafeMutableBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
        }
    }

    /// Runs `body` with block `layer`'s own keys and values (as `withBlock` gives them) of every cache in `caches` (distinct ones);
    /// the accesses nest, so every pointer is valid for the whole of `body`.
    static func withBlocks<R>(of caches: [UnsafeMutablePointer<KVCache>], layer: Int,
                              _ body: ([UnsafeMutablePointer<Float>], [UnsafeMutablePointer<Float>]) -> R) -> R {
        func nest(_ i: Int, _ keys: [UnsafeMutablePointer<Float>], _ values: [UnsafeMutablePointer<Float>]) -> R {
            guard i < caches.count else { return body(keys, values) }
            return caches[i].pointee.withBlock(layer) { k, v in nest(i + 1, keys + [k], values + [v]) }
        }
        return nest(0, [], [])
    }

    /// Fills this empty cache with the positions of `prefix` (a shared prompt prefix computed once).
    mutating func fill(from prefix: KVCache) {
        precondition(self.prefix == nil && prefix.prefix == nil, "fill copies between caches that own their positions")
        precondition(count == 0 && prefix.count <= capacity && prefix.width == width && prefix.keys.count == keys.count,
                     "cannot copy a \(prefix.count)-position prefix into this cache")
        let filled = prefix.count * width
        for layer in keys.indices {
            keys[layer].replaceSubrange(0..<filled, with: prefix.keys[layer][0..<filled])
            values[layer].replaceSubrange(0..<filled, with: prefix.values[layer][0..<filled])
        }
        advance(by: prefix.count)
    }

    /// Copies `positions` of `blocks` from `other` (a stream that computed the same positions identically).
    mutating func copyPositions(_ positions: Range<Int>, blocks: Range<Int>, from other: KVCache) {
        precondition(prefix == nil && other.prefix == nil, "copyPositions copies between caches that own their positions")
        precondition(positions.upperBound <= capacity && positions.upperBound <= other.capacity && other.width == width,
                     "cannot copy positions \(positions) between caches of \(other.capacity) and \(capacity)")
        let span = (positions.lowerBound * width)..<(positions.upperBound * width)
        for layer in blocks {
            keys[layer].replaceSubrange(span, with: other.keys[layer][span])
            values[layer].replaceSubrange(span, with: other.values[layer][span])
        }
    }
}
