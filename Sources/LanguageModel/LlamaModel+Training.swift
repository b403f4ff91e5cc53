import Tensors

extension LlamaModel {
    /// Bytes of kept block tapes above which the backward recomputes each block's tape from its input instead.
    public static let tapeBudget = 1 << 30

    /// The hidden state entering block `block` at each sequence's rows, through the frozen base (no LoRA, no tape):
    /// `[T − 1, C]` each (what `TrainingSequence.entering` holds).
    public func residualStream(_ batch: [TrainingSequence], enteringBlock block: Int) -> [Matrix] {
        let layout = RowLayout(lengths: batch.map(\.rowCount))
        let pass = TrainingPass(model: self, layout: layout, adapter: nil, parameters: nil, gradients: nil, dropout: nil)
        return unstack(pass.frozenBlocks(pass.embed(batch.map(\.inputs)), 0..<block), layout)
    }

    /// The loss of `batch` under `adapter`, forward only: no tape, dropout off (evaluation).
    public func trainingLoss(_ batch: [TrainingSequence], adapter: LoRAAdapter) -> TrainingLoss {
        adapter.parameters.withUnsafeBufferPointer { parameters in
            run(batch, adapter: adapter, parameters: parameters.baseAddress!, gradients: nil, dropout: nil,
                enteringGradients: false, tapeBudget: Self.tapeBudget)
        }
    }

    /// The loss of `batch` under `adapter` and its exact gradient: adds d loss / d parameters into `gradients`
    /// (the flat buffer parallel to `adapter.parameters`). `dropoutSeed` switches LoRA dropout on (training) with
    /// masks drawn from that seed; nil leaves it off. `enteringGradients` also returns d loss / d(entering hidden states).
    /// Block tapes are kept while they fit in `tapeBudget` bytes; beyond it the backward recomputes each block's tape
    /// from its input (one more forward of the adapted blocks, far less memory).
    public func trainingLoss(_ batch: [TrainingSequence], adapter: LoRAAdapter, dropoutSeed: UInt64?, gradients: inout [Float],
                             enteringGradients: Bool = false, tapeBudget: Int = LlamaModel.tapeBudget) -> TrainingLoss {
        precondition(gradients.count == adapter.parameters.count,
                     "gradient buffer of \(gradients.count) for \(adapter.parameters.count) parameters")
        let dropout = dropoutSeed.flatMap { seed in
            adapter.config.dropout > 0 ? DropoutMask(probability: adapter.config.dropout, seed: seed) : nil
        }
        return adapter.parameters.withUnsafeBufferPointer { parameters in
            gradients.withUnsafeMutableBufferPointer { g in
                run(batch, adapter: adapter, parameters: parameters.baseAddress!, gradients: g.baseAddress!, dropout: dropout,
                    enteringGradients: enteringGradients, tapeBudget: tapeBudget)
            }
        }
    }

    // MARK: - The pass

    /// Frozen base (or the kept entering states) → adapted blocks with tape → final norm → head and loss → backward.
    private func run(_ batch: [TrainingSequence], adapter: LoRAAdapter, parameters: UnsafePointer<Float>,
                     gradients: UnsafeMutablePointer<Float>?, dropout: DropoutMask?, enteringGradients: Bool,
                     tapeBudget: Int) -> TrainingLoss {
        // Samples of one prompt share its rows, unless each sequence's own entering gradient is asked for.
        let layout = enteringGradients ? RowLayout(lengths: batch.map(\.rowCount)) : RowLayout(sharingPrompts: batch)
        let pass = TrainingPass(model: self, layout: layout, adapter: adapter, parameters: parameters, gradients: gradients,
                                dropout: dropout)
        let (c, blockCount) = (config.embeddingWidth, config.blockCount)
        let first = min(adapter.config.firstBlock, blockCount)
        let entering = enteringStates(batch, layout: layout, pass: pass, firstBlock: first)    // [R, C]

        // Forward through the adapted blocks, keeping tapes (or only block inputs when they would not fit).
        let training = gradients != nil
        let bytesPerRow = 4 * (7 * c + 2 * config.kvWidth + 3 * config.feedForwardWidth + 2 + 7 * adapter.config.rank)
        let keepTapes = training && layout.rows * (blockCount - first) * bytesPerRow <= tapeBudget
        var tapes: [BlockTape] = [], inputs: [TapeBuffer] = []
        var x = entering
        for block in first..<blockCount {
            let tape = pass.blockForward(x, block: block, adapted: true)
            if keepTapes { tapes.append(tape) } else if training { inputs.append(x) }
            x = tape.output
        }
        let (hidden, rstd) = pass.finalNorm(x)
        let needsBase = batch.contains { $0.klWeights != nil }
        let baseHidden = needsBase ? pass.finalNorm(pass.frozenBlocks(entering, first..<blockCount)).normed : nil

        // Head and loss, with d loss / d hidden.
        let rows = scoredRows(batch, layout: layout)
        let dHidden = training ? TapeBuffer(count: layout.rows * c) : nil
        let (loss, results) = ScoredHead(head: weights.head).run(
            hidden: hidden.pointer, baseHidden: baseHidden.map { UnsafePointer($0.pointer) }, rows: rows, dHidden: dHidden?.pointer)

        // Backward: final norm, then the adapted blocks from the top.
        var enteringGradient: TapeBuffer?
        if let dHidden {
            var dx = TapeBuffer(count: layout.rows * c)
            weights.outputNorm.withUnsafeBufferPointer { w in
                RMSNormLayer.backward(dHidden.pointer, x: x.pointer, rstd: rstd.pointer, weight: w.baseAddress!,
                                      rows: layout.rows, width: c, dx: dx.pointer)
            }
            for block in (first..<blockCount).reversed() {
                let i = block - first
                let tape = keepTapes ? tapes[i] : pass.blockForward(inputs[i], block: block, adapted: true)
                if keepTapes { tapes.removeLast() }
                guard let dInput = pass.blockBackward(tape, block: block, dOutput: dx, propagate: i > 0 || enteringGradients) else { break }
                dx = dInput
            }
            if enteringGradients { enteringGradient = dx }
        }
        return report(batch, loss: loss, results: results, enteringGradient: enteringGradient, layout: layout)
    }

    /// The stacked hidden states entering `firstBlock` `[R, C]`: the rollout's when every sequence kept them, else the
    /// frozen base's (f32, this model).
    private func enteringStates(_ batch: [TrainingSequence], layout: RowLayout, pass: TrainingPass, firstBlock: Int) -> TapeBuffer {
        let c = config.embeddingWidth
        guard batch.allSatisfy({ $0.entering != nil }) else {
            return pass.frozenBlocks(pass.embed(batch.map(\.inputs)), 0..<firstBlock)
        }
        for sequence in batch {
            precondition(sequence.entering!.rows == sequence.rowCount && sequence.entering!.cols == c,
                         "entering state [\(sequence.entering!.rows), \(sequence.entering!.cols)] for \(sequence.tokens.count) tokens (\(sequence.rowCount) rows) of width \(c)")
        }
        let x = TapeBuffer(count: layout.rows * c)
        for segment in layout.segments {
            batch[segment.sequence].entering!.withPointer {
                (x.pointer + segment.offset * c).update(from: $0 + segment.firstPosition * c, count: segment.length * c)
            }
        }
        return x
    }

    /// Every scored position of the batch: the row before it predicts its token.
    private func scoredRows(_ batch: [TrainingSequence], layout: RowLayout) -> [ScoredRow] {
        batch.enumerated().flatMap { n, sequence in
            (sequence.scoredFrom..<sequence.tokens.count).map { t in
                let i = t - sequence.scoredFrom
                return ScoredRow(row: layout.row(sequence: n, position: t - 1), target: sequence.tokens[t], coefficient: sequence.coefficients[i],
                                 klWeight: sequence.klWeights?[i] ?? 0)
            }
        }
    }

    /// Splits per-row results back into per-sequence arrays.
    private func report(_ batch: [TrainingSequence], loss: Double, results: [ScoredRowResult], enteringGradient: TapeBuffer?,
                        layout: RowLayout) -> TrainingLoss {
        var start = 0
        var out = TrainingLoss(loss: loss, logProbabilities: [], entropies: [], kl: [],
                               enteringGradients: enteringGradient.map { unstack($0, layout) } ?? [])
        for sequence in batch {
            let part = results[start..<(start + sequence.scoredCount)]
            out.logProbabilities.append(part.map(\.logProbability))
            out.entropies.append(part.map(\.entropy))
            out.kl.append(part.map(\.kl))
            start += sequence.scoredCount
        }
        return out
    }

    /// Stacked rows `[R, C]` → one `[T, C]` matrix per sequence.
    private func unstack(_ x: TapeBuffer, _ layout: RowLayout) -> [Matrix] {
        let c = config.embeddingWidth
        return layout.sequenceSegments.indices.map { n in
            let rows = layout.rows(of: n)
            return Matrix(rows: rows.map(\.count).reduce(0, +), cols: c,
                          values: rows.flatMap { Array(UnsafeBufferPointer(start: x.pointer + $0.lowerBound * c, count: $0.count * c)) })
        }
    }
}
