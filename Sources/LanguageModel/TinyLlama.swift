import Foundation
import Tensors

/// A complete, tiny, random llama GGUF with a byte-level tokenizer: the whole CLI path on a model that
/// runs in milliseconds (tests of training, resume and the dashboard).
public enum TinyLlama {
    /// 3 blocks, C = 16, 4 heads over 2 KV heads, F = 24; vocabulary: the 3 ChatML specials and 256 bytes.
    public static let config = LlamaConfig(blockCount: 3, embeddingWidth: 16, feedForwardWidth: 24, headCount: 4, kvHeadCount: 2,
                                           rmsEpsilon: 1e-5, ropeBase: 10_000, vocabularySize: 259, contextLength: 1024)

    /// Writes the model with weights drawn from `seed` to `url` (atomically).
    public static func write(to url: URL, seed: UInt64) throws {
        let weights = LlamaWeights.random(config: config, seed: seed)
        let specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
        let tokens = specials + (0..<256).map { String(Character(ByteLevelAlphabet.scalars[$0])) }
        var writer = GGUFWriter()
        writer.metadata = [
            ("general.architecture", .string("llama")), ("general.name", .string("tiny-llama-\(seed)")),
            ("llama.block_count", .uint(UInt64(config.blockCount))),
            ("llama.embedding_length", .uint(UInt64(config.embeddingWidth))),
            ("llama.feed_forward_length", .uint(UInt64(config.feedForwardWidth))),
            ("llama.attention.head_count", .uint(UInt64(config.headCount))),
            ("llama.attention.head_count_kv", .uint(UInt64(config.kvHeadCount))),
            ("llama.attention.layer_norm_rms_epsilon", .float(Double(config.rmsEpsilon))),
            ("llama.rope.freq_base", .float(Double(config.ropeBase))),
            ("llama.context_length", .uint(UInt64(config.contextLength))),
            ("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string("smollm")),
            ("tokenizer.ggml.tokens", .array(tokens.map { .string($0) })),
            ("tokenizer.ggml.token_type", .array(tokens.indices.map { .int($0 < specials.count ? 3 : 1) })),
            ("tokenizer.ggml.merges", .array([])),
            ("tokenizer.ggml.bos_token_id", .uint(1)), ("tokenizer.ggml.eos_token_id", .uint(2)),
        ]
        func tensor(_ name: String, _ m: Matrix) -> GGUFWriter.Tensor {
            GGUFWriter.Tensor(name: name, dims: m.rows == 1 ? [m.cols] : [m.cols, m.rows], values: m.values)
        }
        func vector(_ name: String, _ v: [Float]) -> GGUFWriter.Tensor { GGUFWriter.Tensor(name: name, dims: [v.count], values: v) }
        writer.tensors = [tensor("token_embd.weight", weights.tokenEmbedding), vector("output_norm.weight", weights.outputNorm)]
        for (i, b) in weights.blocks.enumerated() {
            writer.tensors += [
                vector("blk.\(i).attn_norm.weight", b.attentionNorm), tensor("blk.\(i).attn_q.weight", b.query),
                tensor("blk.\(i).attn_k.weight", b.key), tensor("blk.\(i).attn_v.weight", b.value),
                tensor("blk.\(i).attn_output.weight", b.output), vector("blk.\(i).ffn_norm.weight", b.feedForwardNorm),
                tensor("blk.\(i).ffn_gate.weight", b.gate), tensor("blk.\(i).ffn_up.weight", b.up),
                tensor("blk.\(i).ffn_down.weight", b.down),
            ]
        }
        try writer.write(to: url)
    }
}
