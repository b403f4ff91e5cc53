import CKernels
import Foundation
import Tensors

/// One transformer block as quantized views into the GGUF file; norms in f32.
struct QuantizedBlock: Sendable {
    let attentionNorm: [Float]      // [C]
    let query: QuantizedMatrix      // [C, C]
    let key: QuantizedMatrix        // [Hkv·D, C]
    let value: QuantizedMatrix      // [Hkv·D, C]
    let output: QuantizedMatrix     // [C, C]
    let feedForwardNorm: [Float]    // [C]
    let gate: QuantizedMatrix       // [F, C]
    let up: QuantizedMatrix         // [F, C]
    let down: QuantizedMatrix       // [C, F]
}

/// A llama model computed on the GGUF file's own quantized blocks (mmapped, never copied to f32).
///
/// Activations are quantised per row to 8-bit blocks and multiplied with integer block dot products
/// (`CKernels`: AVX2 when the CPU has it, portable C otherwise; `ComputePool.kernelPath` says which).
/// `Precision` says which inputs are quantised in two passes (value + rounding error, ≈ 16 bits).
/// Every operation is row-wise, so a row's result does not depend on the other rows of a pass: M streams
/// stepped together give each stream exactly what it would get alone, and a prompt prefilled at once
/// equals it fed in pieces. `LlamaModel` (f32) stays the reference.
///
/// Shape legend: M streams, T new positions, N rows of a pass, C width, V vocabulary.
public final class QuantizedLlama: LanguageEngine {
    /// How finely activations are quantised before the integer products.
    public enum Precision: String, Sendable, CaseIterable {
        /// Every product input in two 8-bit passes (≈ 16 bits): on the logits fixture, top-1 equals the f32
        /// path at every position; decode costs ~1.3× `fast` (each weight block meets two activation rows).
        case refined
        /// 8-bit inputs, two passes only for Wo and the head (where one pass hurt most): ~98% top-1
        /// agreement with the f32 path (the flips are where f32's top-2 margin is below ~0.3).
        case fast
    }

    public let config: LlamaConfig
    public let precision: Precision
    /// The threads the kernels run on.
    public let pool: ComputePool
    let file: GGUFFile
    let blocks: [QuantizedBlock]
    let embedding: QuantizedMatrix  // [V, C]
    let head: QuantizedMatrix       // [V, C]; the embedding when tied
    let outputNorm: [Float]         // [C]
    let rope: RotaryEmbedding

    /// Maps the model of `gguf`; `pool` runs its kernels.
    public init(gguf: GGUFFile, pool: ComputePool, precision: Precision = .refined) throws {
        let config = try LlamaConfig(gguf: gguf)
        let c = config.embeddingWidth, f = config.feedForwardWidth, kv = config.kvWidth, v = config.vocabularySize
        func vector(_ name: String) throws -> [Float] {
            let values = try gguf.vector(name)
            guard values.count == c else { throw GGUFError(path: gguf.path, reason: "\(name) has \(values.count) values, expected \(c)") }
            return values
        }
        blocks = try (0..<config.blockCount).map { i in
            QuantizedBlock(
                attentionNorm: try vector("blk.\(i).attn_norm.weight"),
                query: try QuantizedMatrix(gguf, "blk.\(i).attn_q.weight", rows: c, cols: c),
                key: try QuantizedMatrix(gguf, "blk.\(i).attn_k.weight", rows: kv, cols: c),
                value: try QuantizedMatrix(gguf, "blk.\(i).attn_v.weight", rows: kv, cols: c),
                output: try QuantizedMatrix(gguf, "blk.\(i).attn_output.weight", rows: c, cols: c),
                feedForwardNorm: try vector("blk.\(i).ffn_norm.weight"),
                gate: try QuantizedMatrix(gguf, "blk.\(i).ffn_gate.weight", rows: f, cols: c),
                up: try QuantizedMatrix(gguf, "blk.\(i).ffn_up.weight", rows: f, cols: c),
                down: try QuantizedMatrix(gguf, "blk.\(i).ffn_down.weight", rows: c, cols: f))
        }
        embedding = try QuantizedMatrix(gguf, "token_embd.weight", rows: v, cols: c)
        head = gguf.tensors["output.weight"] == nil ? embedding : try QuantizedMatrix(gguf, "output.weight", rows: v, cols: c)
        outputNorm = try vector("output_norm.weight")
        self.config = config
        self.pool = pool
        self.precision = precision
        self.file = gguf
        rope = RotaryEmbedding(headWidth: config.headWidth, base: config.ropeBase)
    }

    /// Maps the model of `gguf` with its own pool of `threads` threads.
    public convenience init(gguf: GGUFFile, threads: Int, precision: Precision = .refined) throws {
        try self.init(gguf: gguf, pool: ComputePool(threads: threads), precision: precision)
    }

    /// An empty KV cache for `capacity` positions.
    public func makeCache(capacity: Int) -> KVCache {
        KVCache(config: config, capacity: capacity)
    }

    /// A cache of `capacity` positions starting with a copy of `prefix`'s positions (a system prompt
    /// computed once, reused; only valid for the adapter that computed it).
    public func makeCache(capacity: Int, copying prefix: KVCache) -> KVCache {
        var cache = KVCache(config: config, capacity: capacity)
        cache.fill(from: prefix)
        return cache
    }

    // MARK: - Forward

    /// One stream: runs `tokens` after the positions in `cache`; returns final-norm hidden states `[T, C]`.
    public func hiddenStates(_ tokens: [Int], cache: inout KVCache, adapter: LoRAAdapter? = nil) -> Matrix {
        var caches = [cache]
        cache = KVCache(config: config, capacity: 0)          // keep the caller's storage uniquely referenced
        defer { cache = caches[0] }
        return hiddenStates([tokens], caches: &caches, adapters: [adapter])
    }

    /// M streams in one pass (each weight block read once for all rows): stream i runs `streams[i]` after
    /// the positions in `caches[i]` with `adapters[i]` (adapters of one pass share a rank);
    /// returns final-norm hidden states `[ΣT_i, C]`, stream after stream, and the residual stream entering
    /// block `keptBlock` `[ΣT_i, C]` when given.
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?],
                             keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?) {
        precondition(streams.count == caches.count && streams.count == adapters.count, "one cache and one adapter slot per stream")
        let c = config.embeddingWidth
        var segments: [Range<Int>] = []
        for (tokens, cache) in zip(streams, caches) {
            precondition(cache.count + tokens.count <= cache.capacity,
                         "KV cache overflow: \(cache.count) + \(tokens.count) positions > capacity \(cache.capacity)")
            let start = segments.last?.upperBound ?? 0
            segments.append(start..<(start + tokens.count))
        }
        let n = segments.last?.upperBound ?? 0
        let rank = adapters.compactMap { $0?.config.rank }.max() ?? 0
        let scratch = ForwardScratch(rows: n, config: config, rank: rank)
        embed(streams.flatMap { $0 }, into: scratch.x)
        fillRotations(segments: segments, firstPositions: caches.map(\.count), scratch: scratch)
        var entering: Matrix?
        LoRARows.with(adapters, segments: segments, blockCount: config.blockCount) { lora in
            for (index, block) in blocks.enumerated() {
                if index == keptBlock { entering = Matrix(rows: n, cols: c, values: Array(UnsafeBufferPointer(start: scratch.x, count: n * c))) }
                attention(block, index: index, segments: segments, caches: &caches, lora: lora, scratch: scratch)
                feedForward(block, index: index, lora: lora, scratch: scratch)
            }
        }
        for (i, tokens) in streams.enumerated() { caches[i].advance(by: tokens.count) }
        var hidden = Matrix(rows: n, cols: c)
        hidden.values.withUnsafeMutableBufferPointer { out in
            ck_rms_norm(scratch.x, Int32(n), Int32(c), outputNorm, config.rmsEpsilon, out.baseAddress)
        }
        return (hidden, entering)
    }

    /// Next-token logits through the shared head: `[M, C]` → `[M, V]`.
    public func logits(_ hidden: Matrix) -> Matrix {
        let c = config.embeddingWidth, v = config.vocabularySize
        precondition(hidden.cols == c, "hidden states of width \(hidden.cols), expected \(c)")
        let terms = 2
        let rows = QuantizedRows(capacity: terms * hidden.rows * c / 32)
        defer { rows.deallocate() }
        hidden.values.withUnsafeBufferPointer { rows.quantize($0.baseAddress!, rows: hidden.rows, cols: c, terms: terms) }
        var out = Matrix(rows: hidden.rows, cols: v)
        out.values.withUnsafeMutableBufferPointer { y in
            var job = head.job(into: y.baseAddress!, ldy: v)
            ck_matmul_run(pool.raw, rows.blocks, Int32(hidden.rows), Int32(terms), Int32(c), &job, 1)
        }
        return out
    }

    // MARK: - Layers

    /// Token embeddings, decoded from their blocks: `[N]` → x `[N, C]`.
    func embed(_ tokens: [Int], into x: UnsafeMutablePointer<Float>) {
        for (row, token) in tokens.enumerated() {
            precondition(token >= 0 && token < config.vocabularySize, "token id \(token) outside the vocabulary of \(config.vocabularySize)")
            embedding.dequantizeRow(token, into: x + row * config.embeddingWidth)
        }
    }

    /// RoPE cos/sin `[N, D/2]` for every row's position (computed once per pass, used by every block).
    func fillRotations(segments: [Range<Int>], firstPositions: [Int], scratch: ForwardScratch) {
        let pairs = rope.frequencies.count
        for (rows, first) in zip(segments, firstPositions) {
            for row in rows {
                let position = Float(first + row - rows.lowerBound)
                for i in 0..<pairs {
                    let angle = position * rope.frequencies[i]
                    scratch.cos[row * pairs + i] = cosf(angle)
                    scratch.sin[row * pairs + i] = sinf(angle)
                }
            }
        }
    }

    /// x += Wo · attention(RMSNorm(x)), writing this block's keys and values into each stream's cache.
    func attention(_ block: QuantizedBlock, index: Int, segments: [Range<Int>], caches: inout [KVCache],
                   lora: LoRARows, scratch s: ForwardScratch) {
        let n = s.rows, c = config.embeddingWidth, kv = config.kvWidth, d = config.headWidth
        let heads = Int32(config.headCount), kvHeads = Int32(config.kvHeadCount)
        ck_rms_norm(s.x, Int32(n), Int32(c), block.attentionNorm, config.rmsEpsilon, s.h)
        var jobs = [block.query.job(into: s.q, ldy: c), block.key.job(into: s.k, ldy: kv), block.value.job(into: s.v, ldy: kv)]
        for (set, projection) in [Projection.query, .key, .value].enumerated() {
            lora.attach(&jobs[set], set: set, block: index, projection: projection, input: s.h, width: c, scratch: s)
        }
        product(jobs, input: s.h, width: c, scratch: s, refined: precision == .refined)        // q [N, C], k, v [N, Hkv·D]
        ck_rope(s.q, Int32(n), heads, Int32(d), s.cos, s.sin)
        ck_rope(s.k, Int32(n), kvHeads, Int32(d), s.cos, s.sin)
        for (stream, rows) in segments.enumerated() where !rows.isEmpty {
            let first = caches[stream].count, t = rows.count
            caches[stream].withBlock(index) { keys, values in
                (keys + first * kv).update(from: s.k + rows.lowerBound * kv, count: t * kv)
                (values + first * kv).update(from: s.v + rows.lowerBound * kv, count: t * kv)
                ck_attention(pool.raw, s.q + rows.lowerBound * c, Int32(t), keys, values, Int32(first),
                             heads, kvHeads, Int32(d), s.mixed + rows.lowerBound * c)
            }
        }
        var output = block.output.job(into: s.delta, ldy: c)
        lora.attach(&output, set: 0, block: index, projection: .output, input: s.mixed, width: c, scratch: s)
        product([output], input: s.mixed, width: c, scratch: s, refined: true)
        ck_add(s.x, s.delta, Int32(n * c))
    }

    /// x += W_down · (silu(W_gate · RMSNorm(x)) ⊙ W_up · RMSNorm(x)).
    func feedForward(_ block: QuantizedBlock, index: Int, lora: LoRARows, scratch s: ForwardScratch) {
        let n = s.rows, c = config.embeddingWidth, f = config.feedForwardWidth
        ck_rms_norm(s.x, Int32(n), Int32(c), block.feedForwardNorm, config.rmsEpsilon, s.h)
        var jobs = [block.gate.job(into: s.gate, ldy: f), block.up.job(into: s.up, ldy: f)]
        for (set, projection) in [Projection.gate, .up].enumerated() {
            lora.attach(&jobs[set], set: set, block: index, projection: projection, input: s.h, width: c, scratch: s)
        }
        product(jobs, input: s.h, width: c, scratch: s, refined: precision == .refined)        // gate, up [N, F]
        ck_swiglu(s.gate, s.up, Int32(n * f))
        var down = block.down.job(into: s.delta, ldy: c)
        lora.attach(&down, set: 0, block: index, projection: .down, input: s.gate, width: f, scratch: s)
        product([down], input: s.gate, width: f, scratch: s, refined: precision == .refined)
        ck_add(s.x, s.delta, Int32(n * c))
    }

    /// Quantises `input` `[N, width]` (in two passes, ≈ 16 bits, when `refined`) and runs the product jobs that share it.
    func product(_ jobs: [ck_matmul], input: UnsafePointer<Float>, width: Int, scratch s: ForwardScratch, refined: Bool) {
        let terms = refined ? 2 : 1
        s.quantized.quantize(input, rows: s.rows, cols: width, terms: terms)
        jobs.withUnsafeBufferPointer { j in
            ck_matmul_run(pool.raw, s.quantized.blocks, Int32(s.rows), Int32(terms), Int32(width), j.baseAddress, Int32(j.count))
        }
    }
}
