import Tensors

/// The weights of one transformer block, dequantised to f32.
///
/// Linear weights are `[out, in]` (applied as x·Wᵀ), as GGUF stores them.
public struct BlockWeights: Sendable {
    public var attentionNorm: [Float]   // [C]
    public var query: Matrix            // [C, C]
    public var key: Matrix              // [Hkv·D, C]
    public var value: Matrix            // [Hkv·D, C]
    public var output: Matrix           // [C, C]
    public var feedForwardNorm: [Float] // [C]
    public var gate: Matrix             // [F, C]
    public var up: Matrix               // [F, C]
    public var down: Matrix             // [C, F]
}

/// All weights of a llama model in f32: the reference path and the one training uses.
public struct LlamaWeights: Sendable {
    public var tokenEmbedding: Matrix   // [V, C], also the tied LM head
    public var blocks: [BlockWeights]
    public var outputNorm: [Float]      // [C]
    /// The LM head: `output.weight` when the file has one, else the token embedding.
    public var head: Matrix             // [V, C]

    /// Loads and dequantises every tensor, checking each shape against `config`.
    public init(gguf: GGUFFile, config: LlamaConfig) throws {
        let c = config.embeddingWidth, f = config.feedForwardWidth, kv = config.kvWidth, v = config.vocabularySize
        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> Matrix {
            let m = try gguf.matrix(name)
            guard m.rows == rows, m.cols == cols else {
                throw FileError(path: gguf.path, reason: "tensor \(name) is [\(m.rows), \(m.cols)] (out, in), expected [\(rows), \(cols)]")
            }
            return m
        }
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            try matrix(name, 1, count).values
        }
        tokenEmbedding = try matrix("token_embd.weight", v, c)
        blocks = try (0..<config.blockCount).map { i in
            BlockWeights(
                attentionNorm: try vector("blk.\(i).attn_norm.weight", c),
                query: try matrix("blk.\(i).attn_q.weight", c, c),
                key: try matrix("blk.\(i).attn_k.weight", kv, c),
                value: try matrix("blk.\(i).attn_v.weight", kv, c),
                output: try matrix("blk.\(i).attn_output.weight", c, c),
                feedForwardNorm: try vector("blk.\(i).ffn_norm.weight", c),
                gate: try matrix("blk.\(i).ffn_gate.weight", f, c),
                up: try matrix("blk.\(i).ffn_up.weight", f, c),
                down: try matrix("blk.\(i).ffn_down.weight", c, f))
        }
        outputNorm = try vector("output_norm.weight", c)
        head = gguf.tensors["output.weight"] == nil ? tokenEmbedding : try matrix("output.weight", v, c)
    }

    /// Weights given directly (tests build tiny random models this way).
    public init(tokenEmbedding: Matrix, blocks: [BlockWeights], outputNorm: [Float], head: Matrix? = nil) {
        self.tokenEmbedding = tokenEmbedding
        self.blocks = blocks
        self.outputNorm = outputNorm
        self.head = head ?? tokenEmbedding
    }
}

extension LlamaWeights {
    /// Small random weights for `config` (N(0, 0.02)-like uniform entries, norms near 1): tiny models for tests.
    public static func random(config: LlamaConfig, seed: UInt64) -> LlamaWeights {
        var random = SeededRandom(seed: seed)
        let c = config.embeddingWidth, f = config.feedForwardWidth, kv = config.kvWidth
        func matrix(_ rows: Int, _ cols: Int, spread: Float = 0.1) -> Matrix {
            Matrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in (2 * random.nextUnitFloat() - 1) * spread })
        }
        func norm() -> [Float] { (0..<c).map { _ in 0.8 + 0.4 * random.nextUnitFloat() } }
        let blocks = (0..<config.blockCount).map { _ in
            BlockWeights(attentionNorm: norm(), query: matrix(c, c), key: matrix(kv, c), value: matrix(kv, c),
                         output: matrix(c, c), feedForwardNorm: norm(), gate: matrix(f, c), up: matrix(f, c),
                         down: matrix(c, f))
        }
        return LlamaWeights(tokenEmbedding: matrix(config.vocabularySize, c, spread: 1), blocks: blocks, outputNorm: norm())
    }
}

extension LlamaConfig {
    /// A tiny llama shape for tests: 3 blocks, C = 16, 4 heads over 2 KV heads, F = 24, V = 40.
    public static let tiny = LlamaConfig(blockCount: 3, embeddingWidth: 16, feedForwardWidth: 24, headCount: 4, kvHeadCount: 2,
                                         rmsEpsilon: 1e-5, ropeBase: 10_000, vocabularySize: 40, contextLength: 256)
}
