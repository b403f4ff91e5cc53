import Tensors

/// Hyper-parameters of a llama-architecture model, read from GGUF metadata.
public struct LlamaConfig: Sendable, Equatable, Codable {
    /// Transformer blocks (L).
    public var blockCount: Int
    /// Residual width (C).
    public var embeddingWidth: Int
    /// SwiGLU hidden width (F).
    public var feedForwardWidth: Int
    /// Query heads (H).
    public var headCount: Int
    /// Key/value heads (Hkv); each serves `headCount / kvHeadCount` query heads.
    public var kvHeadCount: Int
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// RoPE frequency base.
    public var ropeBase: Float
    /// Vocabulary size (V).
    public var vocabularySize: Int
    /// Longest sequence the model was trained for.
    public var contextLength: Int

    /// Width of one head (D = C / H).
    public var headWidth: Int { embeddingWidth / headCount }
    /// Width of all key (or value) heads together (Hkv·D).
    public var kvWidth: Int { kvHeadCount * headWidth }

    /// Reads the `llama.*` fields of a GGUF file and checks they fit together.
    public init(gguf: GGUFFile) throws {
        let arch = try gguf.string("general.architecture")
        guard arch == "llama" else {
            throw FileError(path: gguf.path, reason: "general.architecture is \"\(arch)\"; only llama-architecture models are supported")
        }
        blockCount = try gguf.int("llama.block_count")
        embeddingWidth = try gguf.int("llama.embedding_length")
        feedForwardWidth = try gguf.int("llama.feed_forward_length")
        headCount = try gguf.int("llama.attention.head_count")
        kvHeadCount = (try? gguf.int("llama.attention.head_count_kv")) ?? headCount
        rmsEpsilon = Float(try gguf.double("llama.attention.layer_norm_rms_epsilon"))
        ropeBase = Float((try? gguf.double("llama.rope.freq_base")) ?? 10_000)
        contextLength = (try? gguf.int("llama.context_length")) ?? 2048
        vocabularySize = try gguf.tensor("token_embd.weight").dims[1]
        guard headCount > 0, kvHeadCount > 0, headCount % kvHeadCount == 0, embeddingWidth % headCount == 0,
              (embeddingWidth / headCount) % 2 == 0 else {
            throw FileError(path: gguf.path, reason: "inconsistent attention shape: \(headCount) heads, \(kvHeadCount) kv heads, width \(embeddingWidth)")
        }
    }

    /// A config given field by field (tests build tiny models this way).
    public init(blockCount: Int, embeddingWidth: Int, feedForwardWidth: Int, headCount: Int, kvHeadCount: Int,
                rmsEpsilon: Float, ropeBase: Float, vocabularySize: Int, contextLength: Int) {
        self.blockCount = blockCount
        self.embeddingWidth = embeddingWidth
        self.feedForwardWidth = feedForwardWidth
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.rmsEpsilon = rmsEpsilon
        self.ropeBase = ropeBase
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
    }
}
