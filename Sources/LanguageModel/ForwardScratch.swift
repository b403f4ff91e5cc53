import CKernels

/// Working buffers of one quantized forward pass over N rows (allocated once per pass, not per block).
///
/// Shape legend: N rows (all streams' new positions), C width, Hkv·D key/value width, F feed-forward
/// width, D head width, r LoRA rank.
final class ForwardScratch {
    let rows: Int
    let x: UnsafeMutablePointer<Float>          // [N, C] residual stream
    let h: UnsafeMutablePointer<Float>          // [N, C] normed input of a sub-layer
    let q: UnsafeMutablePointer<Float>          // [N, C]
    let k: UnsafeMutablePointer<Float>          // [N, Hkv·D]
    let v: UnsafeMutablePointer<Float>          // [N, Hkv·D]
    let mixed: UnsafeMutablePointer<Float>      // [N, C] attention output before Wo
    let delta: UnsafeMutablePointer<Float>      // [N, C] sub-layer output added to x
    let gate: UnsafeMutablePointer<Float>       // [N, F]
    let up: UnsafeMutablePointer<Float>         // [N, F]
    let cos: UnsafeMutablePointer<Float>        // [N, D/2]
    let sin: UnsafeMutablePointer<Float>        // [N, D/2]
    let quantized: QuantizedRows                // [2N, max(C, F)] in 8-bit blocks (refined: two per row)
    /// Per job of one product call (at most 3: q, k, v): LoRA inputs of every row.
    let loraB: [UnsafeMutablePointer<UnsafePointer<Float>?>]    // 3 × [N]
    let loraXA: [UnsafeMutablePointer<Float>]                    // 3 × [N, r]
    let loraScale: [UnsafeMutablePointer<Float>]                 // 3 × [N]
    private var owned: [UnsafeMutableRawPointer] = []

    init(rows n: Int, config: LlamaConfig, rank: Int) {
        rows = n
        let c = config.embeddingWidth, kv = config.kvWidth, f = config.feedForwardWidth, pairs = config.headWidth / 2
        var owned: [UnsafeMutableRawPointer] = []
        func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            owned.append(UnsafeMutableRawPointer(p))
            return p
        }
        x = floats(n * c); h = floats(n * c); q = floats(n * c); k = floats(n * kv); v = floats(n * kv)
        mixed = floats(n * c); delta = floats(n * c); gate = floats(n * f); up = floats(n * f)
        cos = floats(n * pairs); sin = floats(n * pairs)
        quantized = QuantizedRows(capacity: 2 * n * max(c, f) / 32)
        loraXA = (0..<3).map { _ in floats(n * max(1, rank)) }
        loraScale = (0..<3).map { _ in floats(n) }
        loraB = (0..<3).map { _ in
            let p = UnsafeMutablePointer<UnsafePointer<Float>?>.allocate(capacity: max(1, n))
            owned.append(UnsafeMutableRawPointer(p))
            return p
        }
        self.owned = owned
    }

    deinit {
        for p in owned { p.deallocate() }
        quantized.deallocate()
    }
}
