import Tensors

/// The loss of a training batch and what the trainer reports about it.
public struct TrainingLoss: Sendable {
    /// Σ c_t · (−log π(token_t)) + Σ β_t · KL_t over every scored token of the batch.
    public var loss: Double
    /// Per sequence, per scored token: log π(token_t | tokens_<t).
    public var logProbabilities: [[Float]]
    /// Per sequence, per scored token: entropy of π at the position predicting token_t.
    public var entropies: [[Float]]
    /// Per sequence, per scored token: KL(π ‖ π_base) at that position (zeros where the sequence has no KL weights).
    public var kl: [[Float]]
    /// Per sequence: d loss / d(hidden state entering the first adapted block) `[T − 1, C]`, when asked for; through π only
    /// (π_base of the KL term is held constant, as it is for the adapter's parameters).
    public var enteringGradients: [Matrix]
}

/// One forward (with tape when there is a backward) and backward over stacked sequences: the context every layer shares.
///
/// Legend: R stacked rows of all sequences, T one sequence's length, C width, H query heads, Hkv key/value heads,
/// D head width, F feed-forward width, V vocabulary, r LoRA rank, K adapted blocks.
struct TrainingPass {
    let model: LlamaModel
    let layout: RowLayout
    let attention: CausalAttention
    /// The adapter's layout, with pointers to its flat parameters and (for a backward) gradients.
    let adapter: LoRAAdapter?
    let parameters: UnsafePointer<Float>?
    let gradients: UnsafeMutablePointer<Float>?
    let dropout: DropoutMask?
    private let slotIndex: [Int: Int]

    init(model: LlamaModel, layout: RowLayout, adapter: LoRAAdapter?, parameters: UnsafePointer<Float>?,
         gradients: UnsafeMutablePointer<Float>?, dropout: DropoutMask?) {
        self.model = model
        self.layout = layout
        let config = model.config
        attention = CausalAttention(layout: layout, heads: config.headCount, kvHeads: config.kvHeadCount, headWidth: config.headWidth)
        self.adapter = adapter
        self.parameters = parameters
        self.gradients = gradients
        self.dropout = dropout
        var slotIndex: [Int: Int] = [:]
        for (i, slot) in (adapter?.slots ?? []).enumerated() {
            slotIndex[slot.block * Projection.allCases.count + Projection.allCases.firstIndex(of: slot.projection)!] = i
        }
        self.slotIndex = slotIndex
    }

    /// The LoRA factors of a block's projection, if the adapter covers it.
    func factors(block: Int, projection: Projection) -> LoRAFactors? {
        guard let adapter, let parameters,
              let index = slotIndex[block * Projection.allCases.count + Projection.allCases.firstIndex(of: projection)!] else { return nil }
        return LoRAFactors(slot: adapter.slots[index], index: index, rank: adapter.config.rank, scale: adapter.config.scale,
                           parameters: parameters, gradients: gradients, dropout: dropout)
    }

    /// Token embeddings of every sequence's inputs (`[T − 1]` each), stacked as the layout stores them: → `[R, C]`.
    func embed(_ sequences: [[Int]]) -> TapeBuffer {
        let c = model.config.embeddingWidth
        let x = TapeBuffer(count: layout.rows * c)
        model.weights.tokenEmbedding.withPointer { e in
            for segment in layout.segments {
                for t in 0..<segment.length {
                    let token = sequences[segment.sequence][segment.firstPosition + t]
                    precondition(token >= 0 && token < model.config.vocabularySize,
                                 "token id \(token) outside the vocabulary of \(model.config.vocabularySize)")
                    (x.pointer + (segment.offset + t) * c).update(from: e + token * c, count: c)
                }
            }
        }
        return x
    }

    /// Runs blocks `range` without LoRA and without keeping a tape: `[R, C]` → `[R, C]`.
    func frozenBlocks(_ x: TapeBuffer, _ range: Range<Int>) -> TapeBuffer {
        range.reduce(x) { x, block in blockForward(x, block: block, adapted: false).output }
    }

    /// The final RMSNorm: x `[R, C]` → h `[R, C]`, with its 1/rms `[R]`.
    func finalNorm(_ x: TapeBuffer) -> (normed: TapeBuffer, rstd: TapeBuffer) {
        let c = model.config.embeddingWidth
        let normed = TapeBuffer(count: layout.rows * c), rstd = TapeBuffer(count: layout.rows)
        model.weights.outputNorm.withUnsafeBufferPointer { w in
            RMSNormLayer.forward(x.pointer, weight: w.baseAddress!, rows: layout.rows, width: c, eps: model.config.rmsEpsilon,
                                 out: normed.pointer, rstd: rstd.pointer)
        }
        return (normed, rstd)
    }
}
