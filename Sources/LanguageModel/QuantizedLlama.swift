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

/// A llama model computed on the GGUF file's own quantized blocks (repacked once in groups of 16 rows,
/// never widened to f32).
///
/// Activations are quantised per row to 8-bit blocks and multiplied with integer block dot products
/// (`CKernels`: AVX-512 VNNI, AVX-VNNI or AVX2 when the CPU has them, portable C otherwise, all
/// bitwise-identical; `ComputePool.kernelPath` says which).
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
        /// 8-bit inputs, two passes only for Wo and the head (where one pass hurt most): 240/244 top-1
        /// agreement with the f32 path on the logits fixture (the flips are where f32's top-2 margin is below
        /// ~0.3), perplexity ~1.2% above it.
        case fast
    }

    public let config: LlamaConfig
    public let precision: Precision
    /// The threads the kernels run on.
    public let pool: ComputePool
    /// The mapped model file (another engine on other threads can map the same blocks).
    public let file: GGUFFile
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
            guard values.count == c else { throw FileError(path: gguf.path, reason: "\(name) has \(values.count) values, expected \(c)") }
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

    /// `count` caches reading `prefix`'s positions from one shared copy (attention reads them in place, so the
    /// samples of a prompt neither copy nor re-read separate copies of its keys and values).
    public func makeCaches(_ count: Int, capacity: Int, startingWith prefix: KVCache) -> [KVCache] {
        let shared = KVPrefix(prefix)
        return (0..<count).map { _ in KVCache(config: config, capacity: capacity, prefix: shared) }
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
    /// the positions in `caches[i]` with `adapters[i]` (adapters of one pass share a rank); returns final-norm
    /// hidden states `[ΣT_i, C]`, stream after stream, and the residual stream entering block `keptBlock`
    /// `[ΣT_i, C]` when given. Asks `stop` before each block: nil once it answers true (the caches' counts are
    /// advanced only after the last block, so they keep the positions they had).
    public func forward(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], keepingInputOf keptBlock: Int?,
                        stop: () -> Bool) -> (hidden: Matrix, entering: Matrix?)? {
        precondition(streams.count == caches.count && streams.count == adapters.count, "one cache and one adapter slot per stream")
        let segments = Self.segments(streams.map(\.count))
        let scratch = ForwardScratch(rows: segments.last?.upperBound ?? 0, config: config,
                                     rank: adapters.compactMap { $0?.config.rank }.max() ?? 0)
        embed(streams.flatMap { $0 }, into: scratch.x)
        var entering: Matrix?
        let lower = keptBlock.map { min(max($0, 0), config.blockCount) } ?? config.blockCount
        guard run(blocks: 0..<lower, segments: segments, caches: &caches, adapters: adapters, scratch: scratch, stop: stop) else { return nil }
        if keptBlock != nil { entering = residual(scratch) }
        guard run(blocks: lower..<config.blockCount, segments: segments, caches: &caches, adapters: adapters, scratch: scratch,
                  stop: stop) else { return nil }
        for (i, tokens) in streams.enumerated() { caches[i].advance(by: tokens.count) }
        return (normed(scratch), entering)
    }

    /// Continues each stream from its residual rows entering `block`, running only the blocks from there up (see
    /// `LanguageEngine`): `[ΣTᵢ, C]` → final-norm hidden states `[ΣTᵢ, C]`.
    public func hiddenStates(entering residual: Matrix, block: Int, lengths: [Int], caches: inout [KVCache],
                             adapters: [LoRAAdapter?]) -> Matrix {
        precondition(lengths.count == caches.count && lengths.count == adapters.count, "one cache and one adapter slot per stream")
        precondition(residual.rows == lengths.reduce(0, +) && residual.cols == config.embeddingWidth,
                     "residual [\(residual.rows), \(residual.cols)] for streams of \(lengths.reduce(0, +)) positions and width \(config.embeddingWidth)")
        let segments = Self.segments(lengths)
        let scratch = ForwardScratch(rows: residual.rows, config: config, rank: adapters.compactMap { $0?.config.rank }.max() ?? 0)
        residual.values.withUnsafeBufferPointer { scratch.x.update(from: $0.baseAddress!, count: $0.count) }
        _ = run(blocks: block..<config.blockCount, segments: segments, caches: &caches, adapters: adapters, scratch: scratch, stop: { false })
        for (i, length) in lengths.enumerated() { caches[i].advance(by: length) }
        return normed(scratch)
    }

    /// Groups of M lockstep streams (EMORL's ensemble, one group per prompt): the streams of group g have
    /// seen the same tokens and now all run `groups[g]`, stream i with `adapters[i]`; `caches[g·M + i]`.
    /// The blocks below the lowest adapted one are computed once per group, their keys and values copied
    /// into the group's other caches, and only the adapted blocks run per stream. Equals `hiddenStates` with
    /// every stream's tokens, bitwise; returns `[Σ_g M·T_g, C]`, group after group, stream after stream;
    /// nil when `stop` (asked before each block) ended the pass, the caches keeping the positions they had.
    public func lockstepHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], stop: () -> Bool) -> Matrix? {
        let m = adapters.count, c = config.embeddingWidth
        precondition(m > 0 && caches.count == groups.count * m, "one cache per stream of every group")
        let shared = adapters.compactMap { $0?.slots.map(\.block).min() }.min() ?? config.blockCount
        let streams = groups.flatMap { Array(repeating: $0, count: m) }
        let streamAdapters = groups.flatMap { _ in adapters }
        guard m > 1, shared > 0 else { return hiddenStates(streams, caches: &caches, adapters: streamAdapters, stop: stop) }

        let leads = groups.indices.map { $0 * m }
        for g in groups.indices {
            precondition(caches[leads[g]..<(leads[g] + m)].allSatisfy { $0.count == caches[leads[g]].count },
                         "lockstep streams must be at the same position")
        }
        let firsts = leads.map { caches[$0].count }
        let bottomSegments = Self.segments(groups.map(\.count))
        let bottom = ForwardScratch(rows: bottomSegments.last?.upperBound ?? 0, config: config, rank: 0)   // x [ΣT_g, C]
        embed(groups.flatMap { $0 }, into: bottom.x)
        var leadCaches = leads.map { caches[$0] }
        for lead in leads { caches[lead] = KVCache(config: config, capacity: 0) }   // keep the leads' storage uniquely referenced
        let finished = run(blocks: 0..<shared, segments: bottomSegments, caches: &leadCaches, adapters: groups.map { _ in nil },
                           scratch: bottom, stop: stop)
        for (g, lead) in leads.enumerated() { caches[lead] = leadCaches[g] }
        guard finished else { return nil }
        for (g, lead) in leads.enumerated() {
            let positions = firsts[g]..<(firsts[g] + groups[g].count)
            for i in 1..<m { caches[lead + i].copyPositions(positions, blocks: 0..<shared, from: caches[lead]) }
        }

        let segments = Self.segments(streams.map(\.count))
        let top = ForwardScratch(rows: segments.last?.upperBound ?? 0, config: config,
                                 rank: adapters.compactMap { $0?.config.rank }.max() ?? 0)   // x [Σ_g M·T_g, C]
        for (s, rows) in segments.enumerated() {
            (top.x + rows.lowerBound * c).update(from: bottom.x + bottomSegments[s / m].lowerBound * c, count: rows.count * c)
        }
        guard run(blocks: shared..<config.blockCount, segments: segments, caches: &caches, adapters: streamAdapters, scratch: top,
                  stop: stop) else { return nil }
        for (i, tokens) in streams.enumerated() { caches[i].advance(by: tokens.count) }
        return normed(top)
    }

    /// Consecutive row ranges of streams of `lengths` rows.
    static func segments(_ lengths: [Int]) -> [Range<Int>] {
        var start = 0
        return lengths.map { length in
            defer { start += length }
            return start..<(start + length)
        }
    }

    /// Runs `blocks` on the residual rows in `scratch.x` (`segments[i]`: stream i's rows, after the positions
    /// in `caches[i]`), writing each block's keys and values; asks `stop` before each block and answers false
    /// when it stopped. The caches are advanced by the caller.
    func run(blocks range: Range<Int>, segments: [Range<Int>], caches: inout [KVCache], adapters: [LoRAAdapter?],
             scratch: ForwardScratch, stop: () -> Bool) -> Bool {
        for (tokens, cache) in zip(segments, caches) {
            precondition(cache.count + tokens.count <= cache.capacity,
                         "KV cache overflow: \(cache.count) + \(tokens.count) positions > capacity \(cache.capacity)")
        }
        fillRotations(segments: segments, firstPositions: caches.map(\.count), scratch: scratch)
        return LoRARows.with(adapters, segments: segments, blockCount: config.blockCount) { lora in
            for index in range {
                if stop() { return false }
                attention(blocks[index], index: index, segments: segments, caches: &caches, lora: lora, scratch: scratch)
                feedForward(blocks[index], index: index, lora: lora, scratch: scratch)
            }
            return true
        }
    }

    /// A copy of the residual rows: `[N, C]`.
    func residual(_ scratch: ForwardScratch) -> Matrix {
        Matrix(rows: scratch.rows, cols: config.embeddingWidth,
               values: Array(UnsafeBufferPointer(start: scratch.x, count: scratch.rows * config.embeddingWidth)))
    }

    /// The final norm of the residual rows: `[N, C]`.
    func normed(_ scratch: ForwardScratch) -> Matrix {
        let n = scratch.rows, c = config.embeddingWidth
        var hidden = Matrix(rows: n, cols: c)
        hidden.values.withUnsafeMutableBufferPointer { out in
            ck_rms_norm(scratch.x, Int32(n), Int32(c), outputNorm, config.rmsEpsilon, out.baseAddress)
        }
        return hidden
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
        caches.withUnsafeMutableBufferPointer { caches in
            let streams = segments.indices.filter { !segments[$0].isEmpty }
            KVCache.withBlocks(of: streams.map { caches.baseAddress! + $0 }, layer: index) { keys, values in
                let parts = streams.indices.map { i in
                    let cache = caches[streams[i]], rows = segments[streams[i]]
                    let own = cache.count - cache.prefixCount                  // where this pass's positions go
                    (keys[i] + own * kv).update(from: s.k + rows.lowerBound * kv, count: rows.count * kv)
                    (values[i] + own * kv).update(from: s.v + rows.lowerBound * kv, count: rows.count * kv)
                    return ck_attention_segment(q: s.q + rows.lowerBound * c, prefix_keys: cache.prefix?.keys(index),
                                                prefix_values: cache.prefix?.values(index), prefix: Int32(cache.prefixCount),
                                                keys: keys[i], values: values[i], out: s.mixed + rows.lowerBound * c,
                                                t: Int32(rows.count), first: Int32(cache.count))
                }
                ck_attention(pool.raw, parts, Int32(parts.count), heads, kvHeads, Int32(d))
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
