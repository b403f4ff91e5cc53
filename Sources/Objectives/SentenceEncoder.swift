import Foundation
import Tensors

/// Sentence embeddings from a BERT encoder, as sentence-transformers computes them for all-MiniLM-L6-v2:
/// WordPiece → BERT (post-LN blocks, exact GELU) → mean of the token states → L2 normalisation.
///
/// Shapes: B sentences, T tokens in one sentence, N = ΣT tokens in a pass, C hidden, F intermediate,
/// H heads of width D = C / H. Several sentences share each pass of the linear layers (`[N, C]` rows,
/// no padding); attention runs per sentence. Weights are immutable, so one encoder may serve any thread.
public final class SentenceEncoder: SentenceEmbedder {
    /// Upper bound on N for one pass (bounds the scratch memory at about 4·N·(5C + F) bytes).
    public static let tokensPerPass = 4096

    public let config: BertConfig
    public let tokenizer: WordPieceTokenizer
    private let weights: BertWeights

    public var dimension: Int { config.hiddenSize }

    /// Loads the model from `assets`; a missing file is named with the advice to run `scripts/setup`.
    public init(assets: EncoderAssets = .standard) throws {
        try assets.checkInstalled()
        config = try BertConfig(path: assets.configPath)
        tokenizer = try WordPieceTokenizer(vocabularyPath: assets.vocabularyPath)
        guard tokenizer.tokens.count == config.vocabSize else {
            throw FileError(path: assets.vocabularyPath, reason: "\(tokenizer.tokens.count) tokens, but config.json says vocab_size \(config.vocabSize)")
        }
        guard tokenizer.maxLength <= config.maxPositionEmbeddings else {
            throw FileError(path: assets.configPath, reason: "max_position_embeddings \(config.maxPositionEmbeddings) is below the tokenizer's \(tokenizer.maxLength)")
        }
        weights = try BertWeights(file: SafeTensorsFile(path: assets.modelPath), config: config)
    }

    // MARK: - Embedding

    /// One unit-length embedding per text: `[B, C]`.
    public func embed(_ texts: [String]) -> Matrix {
        embed(tokenIDs: texts.map(tokenizer.encode))
    }

    /// One unit-length embedding per already-encoded sentence (`[CLS] … [SEP]`, at most P ids each): `[B, C]`.
    public func embed(tokenIDs sentences: [[Int]]) -> Matrix {
        for ids in sentences {
            precondition(!ids.isEmpty && ids.count <= config.maxPositionEmbeddings, "a sentence needs 1 to \(config.maxPositionEmbeddings) tokens, got \(ids.count)")
            precondition(ids.allSatisfy { (0..<config.vocabSize).contains($0) }, "token id out of the vocabulary")
        }
        let c = config.hiddenSize
        var out = Matrix(rows: sentences.count, cols: c)
        var first = 0
        while first < sentences.count {
            var end = first + 1
            var tokens = sentences[first].count
            while end < sentences.count && tokens + sentences[end].count <= Self.tokensPerPass {
                tokens += sentences[end].count
                end += 1
            }
            let pooled = forward(Array(sentences[first..<end]))
            out.values.replaceSubrange((first * c)..<(end * c), with: pooled)
            first = end
        }
        return out
    }

    // MARK: - Forward pass

    /// The pooled, normalised embeddings `[B, C]` of sentences that fit one pass.
    private func forward(_ sentences: [[Int]]) -> [Float] {
        let c = config.hiddenSize, f = config.intermediateSize, eps = config.layerNormEps
        let lengths = sentences.map(\.count)
        let n = lengths.reduce(0, +)
        var x = embeddings(sentences)                               // [N, C]
        var qkv = [Float](repeating: 0, count: n * 3 * c)            // [N, 3C]
        var context = [Float](repeating: 0, count: n * c)            // [N, C]
        var hidden = [Float](repeating: 0, count: n * f)             // [N, F]
        for layer in weights.layers {
            layer.qkv.apply(x, rows: n, into: &qkv)
            attention(qkv, lengths: lengths, into: &context)
            layer.attentionOutput.apply(context, rows: n, into: &x, residual: true)
            VectorMath.layerNorm(&x, rows: n, weight: layer.attentionNorm.weight, bias: layer.attentionNorm.bias, eps: eps)
            layer.intermediate.apply(x, rows: n, into: &hidden)
            VectorMath.gelu(&hidden, count: n * f)
            layer.output.apply(hidden, rows: n, into: &x, residual: true)
            VectorMath.layerNorm(&x, rows: n, weight: layer.outputNorm.weight, bias: layer.outputNorm.bias, eps: eps)
        }
        return meanPoolNormalized(x, lengths: lengths)
    }

    /// Word + position + token-type-0 embeddings, layer-normalised: `[N, C]`.
    private func embeddings(_ sentences: [[Int]]) -> [Float] {
        let c = config.hiddenSize
        var x = [Float](repeating: 0, count: sentences.reduce(0) { $0 + $1.count } * c)
        var row = 0
        for ids in sentences {
            for (position, id) in ids.enumerated() {
                for i in 0..<c {
                    x[row * c + i] = weights.wordEmbeddings[id, i] + weights.positionEmbeddings[position, i] + weights.tokenTypeEmbedding[i]
                }
                row += 1
            }
        }
        VectorMath.layerNorm(&x, rows: row, weight: weights.embeddingNorm.weight, bias: weights.embeddingNorm.bias, eps: config.layerNormEps)
        return x
    }

    /// Multi-head self-attention within each sentence: qkv `[N, 3C]` (query | key | value) → context `[N, C]`.
    private func attention(_ qkv: [Float], lengths: [Int], into context: inout [Float]) {
        let c = config.hiddenSize, d = config.headSize
        let scale = 1 / Float(d).squareRoot()
        let longest = lengths.max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)   // [T, T] for the longest sentence
        qkv.withUnsafeBufferPointer { qkvp in
            context.withUnsafeMutableBufferPointer { ctxp in
                scores.withUnsafeMutableBufferPointer { sp in
                    var start = 0
                    for t in lengths {
                        let rows = qkvp.baseAddress! + start * 3 * c
                        for h in 0..<config.numAttentionHeads {
                            let q = rows + h * d, k = rows + c + h * d, v = rows + 2 * c + h * d
                            // scores [T, T] = q [T, D] · kᵀ / √D
                            BLAS.gemm(transA: false, transB: true, m: t, n: t, k: d, alpha: scale,
                                      a: q, lda: 3 * c, b: k, ldb: 3 * c, c: sp.baseAddress!, ldc: t)
                            for r in 0..<t { VectorMath.softmax(sp.baseAddress! + r * t, count: t) }
                            // context [T, D] = softmax(scores) [T, T] · v [T, D]
                            BLAS.gemm(transA: false, transB: false, m: t, n: d, k: t,
                                      a: sp.baseAddress!, lda: t, b: v, ldb: 3 * c, c: ctxp.baseAddress! + start * c + h * d, ldc: c)
                        }
                        start += t
                    }
                }
            }
        }
    }

    /// Mean of each sentence's token states, scaled to unit length (norm floored at 1e-12): `[N, C]` → `[B, C]`.
    private func meanPoolNormalized(_ x: [Float], lengths: [Int]) -> [Float] {
        let c = config.hiddenSize
        var pooled = [Float](repeating: 0, count: lengths.count * c)
        var row = 0
        for (s, t) in lengths.enumerated() {
            for r in row..<(row + t) {
                for i in 0..<c { pooled[s * c + i] += x[r * c + i] }
            }
            row += t
            var squares: Float = 0
            for i in 0..<c {
                pooled[s * c + i] /= Float(t)
                squares += pooled[s * c + i] * pooled[s * c + i]
            }
            let inverse = 1 / max(squares.squareRoot(), 1e-12)
            for i in 0..<c { pooled[s * c + i] *= inverse }
        }
        return pooled
    }
}
