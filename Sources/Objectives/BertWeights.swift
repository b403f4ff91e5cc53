import Tensors

/// A linear layer: weight `[out, in]`, bias `[out]`.
struct Linear: Sendable {
    let weight: Matrix
    let bias: [Float]

    /// y `[T, out]` ← x `[T, in]` · weightᵀ + bias; with `residual`, y ← y + x · weightᵀ + bias.
    func apply(_ x: [Float], rows: Int, into y: inout [Float], residual: Bool = false) {
        if residual {
            VectorMath.addRows(bias, rows: rows, to: &y)
        } else {
            VectorMath.broadcastRows(bias, rows: rows, into: &y)
        }
        x.withUnsafeBufferPointer { xp in
            weight.values.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.gemm(transA: false, transB: true, m: rows, n: weight.rows, k: weight.cols,
                              a: xp.baseAddress!, lda: weight.cols, b: wp.baseAddress!, ldb: weight.cols,
                              beta: 1, c: yp.baseAddress!, ldc: weight.rows)
                }
            }
        }
    }
}

/// LayerNorm parameters, each `[C]`.
struct LayerNormWeights: Sendable {
    let weight: [Float]
    let bias: [Float]
}

/// One post-LN transformer block of BERT (C = hidden size, F = intermediate size).
struct BertLayerWeights: Sendable {
    /// Query, key and value projections stacked: weight `[3C, C]`, bias `[3C]`.
    let qkv: Linear
    /// Attention output projection `[C, C]`.
    let attentionOutput: Linear
    let attentionNorm: LayerNormWeights
    /// FFN up projection `[F, C]`.
    let intermediate: Linear
    /// FFN down projection `[C, F]`.
    let output: Linear
    let outputNorm: LayerNormWeights
}

/// All of BERT's weights that sentence embeddings use (the pooler is not).
struct BertWeights: Sendable {
    /// `[V, C]`
    let wordEmbeddings: Matrix
    /// `[P, C]`
    let positionEmbeddings: Matrix
    /// The token-type-0 row `[C]` (single-segment input).
    let tokenTypeEmbedding: [Float]
    let embeddingNorm: LayerNormWeights
    let layers: [BertLayerWeights]

    /// Reads every tensor from `file` in Hugging Face `BertModel` names, checking each shape against `config`.
    init(file: SafeTensorsFile, config: BertConfig) throws {
        let c = config.hiddenSize, f = config.intermediateSize
        func vector(_ name: String, _ n: Int) throws -> [Float] { try file.floats(name, shape: [n]) }
        func norm(_ prefix: String) throws -> LayerNormWeights {
            LayerNormWeights(weight: try vector(prefix + ".weight", c), bias: try vector(prefix + ".bias", c))
        }
        func linear(_ prefix: String, out: Int, in: Int) throws -> Linear {
            Linear(weight: try file.matrix(prefix + ".weight", shape: [out, `in`]), bias: try vector(prefix + ".bias", out))
        }

        wordEmbeddings = try file.matrix("embeddings.word_embeddings.weight", shape: [config.vocabSize, c])
        positionEmbeddings = try file.matrix("embeddings.position_embeddings.weight", shape: [config.maxPositionEmbeddings, c])
        tokenTypeEmbedding = try file.matrix("embeddings.token_type_embeddings.weight", shape: [config.typeVocabSize, c]).row(0)
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<config.numHiddenLayers).map { i in
            let prefix = "encoder.layer.\(i)"
            let projections = try ["query", "key", "value"].map { try linear("\(prefix).attention.self.\($0)", out: c, in: c) }
            return BertLayerWeights(
                qkv: Linear(weight: Matrix(rows: 3 * c, cols: c, values: projections.flatMap(\.weight.values)),
                            bias: projections.flatMap(\.bias)),
                attentionOutput: try linear("\(prefix).attention.output.dense", out: c, in: c),
                attentionNorm: try norm("\(prefix).attention.output.LayerNorm"),
                intermediate: try linear("\(prefix).intermediate.dense", out: f, in: c),
                output: try linear("\(prefix).output.dense", out: c, in: f),
                outputNorm: try norm("\(prefix).output.LayerNorm"))
        }
    }
}
