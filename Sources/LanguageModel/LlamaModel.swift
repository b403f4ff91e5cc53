import Foundation
import Tensors

/// A llama-architecture decoder in f32: batched prefill through BLAS and KV-cached decoding.
///
/// Shape legend: T new positions, S cached + new positions, C width, H query heads, Hkv key/value heads,
/// D head width, F feed-forward width, V vocabulary.
public final class LlamaModel: Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    let rope: RotaryEmbedding

    public init(config: LlamaConfig, weights: LlamaWeights) {
        self.config = config
        self.weights = weights
        self.rope = RotaryEmbedding(headWidth: config.headWidth, base: config.ropeBase)
    }

    /// Loads a model from a GGUF file.
    public convenience init(gguf: GGUFFile) throws {
        let config = try LlamaConfig(gguf: gguf)
        self.init(config: config, weights: try LlamaWeights(gguf: gguf, config: config))
    }

    /// An empty KV cache sized for `capacity` positions.
    public func makeCache(capacity: Int) -> KVCache {
        KVCache(config: config, capacity: capacity)
    }

    // MARK: - Forward

    /// Runs `tokens` after the positions already in `cache`, with an optional LoRA adapter;
    /// returns final-norm hidden states `[T, C]`.
    public func hiddenStates(_ tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter? = nil) -> Matrix {
        forward(tokens, cache: &cache, adapter: adapter, keepingInputOf: nil).hidden
    }

    /// `hiddenStates(_:cache:adapter:)`, also returning the residual stream entering block `keptBlock` `[T, C]` when given.
    func forward(_ tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter?, keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?) {
        forward(embed(tokens), fromBlock: 0, cache: &cache, adapter: adapter, keepingInputOf: keptBlock)
    }

    /// Runs `residual` `[T, C]`, the rows entering block `first`, through the blocks from `first` up, after the
    /// positions in `cache`; returns the final-norm hidden states `[T, C]` and the rows entering `keptBlock` when given.
    func forward(_ residual: Matrix, fromBlock first: Int, cache: inout KVCache, adapter: LoRAAdapter?,
                 keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?) {
        precondition(cache.count + residual.rows <= cache.capacity,
                     "KV cache overflow: \(cache.count) + \(residual.rows) positions > capacity \(cache.capacity)")
        precondition(cache.prefix == nil, "the f32 model reads caches that own their positions")
        precondition(residual.cols == config.embeddingWidth, "residual rows of width \(residual.cols), expected \(config.embeddingWidth)")
        var x = residual                                        // [T, C]
        var entering: Matrix?
        for (index, block) in weights.blocks.enumerated().dropFirst(first) {
            if index == keptBlock { entering = x }
            let lora = BlockLoRA(adapter: adapter, block: index)
            attention(&x, block: block, index: index, cache: &cache, lora: lora)
            feedForward(&x, block: block, lora: lora)
        }
        cache.advance(by: x.rows)
        VectorMath.rmsNorm(&x.values, rows: x.rows, weight: weights.outputNorm, eps: config.rmsEpsilon)
        return (x, entering)
    }

    /// Next-token logits for hidden states: `[T, C]` → `[T, V]`.
    public func logits(_ hidden: Matrix) -> Matrix {
        BLAS.linear(hidden, weights.head)
    }

    /// Token embeddings: `[T]` → `[T, C]`.
    func embed(_ tokens: [Int]) -> Matrix {
        let c = config.embeddingWidth
        var x = Matrix(rows: tokens.count, cols: c)
        for (t, token) in tokens.enumerated() {
            precondition(token >= 0 && token < config.vocabularySize, "token id \(token) outside the vocabulary of \(config.vocabularySize)")
            x.values.replaceSubrange((t * c)..<((t + 1) * c), with: weights.tokenEmbedding.values[(token * c)..<((token + 1) * c)])
        }
        return x
    }

    /// x += Wo · attention(RMSNorm(x)), writing this block's keys and values into the cache.
    func attention(_ x: inout Matrix, block: BlockWeights, index: Int, cache: inout KVCache, lora: BlockLoRA) {
        let t = x.rows, first = cache.count, kvWidth = config.kvWidth
        var h = x
        VectorMath.rmsNorm(&h.values, rows: t, weight: block.attentionNorm, eps: config.rmsEpsilon)
        var q = lora.linear(h, block.query, .query)             // [T, H·D]
        var k = lora.linear(h, block.key, .key)                 // [T, Hkv·D]
        let v = lora.linear(h, block.value, .value)             // [T, Hkv·D]
        rope.apply(&q.values, rows: t, heads: config.headCount, firstPosition: first)
        rope.apply(&k.values, rows: t, heads: config.kvHeadCount, firstPosition: first)
        cache.keys[index].replaceSubrange((first * kvWidth)..<((first + t) * kvWidth), with: k.values)
        cache.values[index].replaceSubrange((first * kvWidth)..<((first + t) * kvWidth), with: v.values)
        let mixed = attend(queries: q, keys: cache.keys[index], values: cache.values[index], firstPosition: first)
        let o = lora.linear(mixed, block.output, .output)       // [T, C]
        for i in x.values.indices { x.values[i] += o.values[i] }
    }

    /// Causal grouped-query attention of T queries over the S = first + T cached positions: → `[T, H·D]`.
    func attend(queries q: Matrix, keys: [Float], values: [Float], firstPosition first: Int) -> Matrix {
        let t = q.rows, s = first + t
        let d = config.headWidth, heads = config.headCount, group = heads / config.kvHeadCount
        let kvWidth = config.kvWidth, qWidth = heads * d
        let scale = 1 / Float(d).squareRoot()
        var out = Matrix(rows: t, cols: qWidth)
        var scores = [Float](repeating: 0, count: t * s)        // [T, S] for one head
        q.values.withUnsafeBufferPointer { qp in
            keys.withUnsafeBufferPointer { kp in
                values.withUnsafeBufferPointer { vp in
                    out.values.withUnsafeMutableBufferPointer { op in
                        scores.withUnsafeMutableBufferPointer { sp in
                            for head in 0..<heads {
                                let kvHead = head / group
                                // scores = Q_h [T, D] · K_kvh [S, D]ᵀ · scale
                                BLAS.gemm(transA: false, transB: true, m: t, n: s, k: d, alpha: scale,
                                          a: qp.baseAddress! + head * d, lda: qWidth,
                                          b: kp.baseAddress! + kvHead * d, ldb: kvWidth,
                                          c: sp.baseAddress!, ldc: s)
                                for row in 0..<t {
                                    let visible = first + row + 1
                                    let r = sp.baseAddress! + row * s
                                    VectorMath.softmax(r, count: visible)
                                    for j in visible..<s { r[j] = 0 }
                                }
                                // out_h [T, D] = P [T, S] · V_kvh [S, D]
                                BLAS.gemm(transA: false, transB: false, m: t, n: d, k: s,
                                          a: sp.baseAddress!, lda: s,
                                          b: vp.baseAddress! + kvHead * d, ldb: kvWidth,
                                          c: op.baseAddress! + head * d, ldc: qWidth)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// x += W_down · (silu(W_gate · RMSNorm(x)) ⊙ W_up · RMSNorm(x)).
    func feedForward(_ x: inout Matrix, block: BlockWeights, lora: BlockLoRA) {
        var h = x
        VectorMath.rmsNorm(&h.values, rows: x.rows, weight: block.feedForwardNorm, eps: config.rmsEpsilon)
        var gate = lora.linear(h, block.gate, .gate)            // [T, F]
        let up = lora.linear(h, block.up, .up)                  // [T, F]
        VectorMath.swiglu(&gate.values, up.values)
        let down = lora.linear(gate, block.down, .down)         // [T, C]
        for i in x.values.indices { x.values[i] += down.values[i] }
    }
}

/// One block's view of an optional LoRA adapter: base projection plus the adapter's delta where it has one.
struct BlockLoRA {
    let adapter: LoRAAdapter?
    let block: Int

    /// x `[T, in]` → x·Wᵀ (+ scale·(x·Aᵀ)·Bᵀ) `[T, out]`.
    func linear(_ x: Matrix, _ w: Matrix, _ projection: Projection) -> Matrix {
        var y = BLAS.linear(x, w)
        if let adapter, let slot = adapter.slot(block: block, projection: projection) {
            adapter.addDelta(slot, input: x, to: &y)
        }
        return y
    }
}
