import Foundation
import LanguageModel
import Tensors
import Testing

/// The training pass agrees with the inference forward, and its KL and dropout behave as documented.
@Suite struct TrainingPassTests {
    let model = TinyModel.make()

    /// Log-probabilities and KL of every scored token through the inference path (`hiddenStates` + `logits`).
    private func reference(_ sequence: TrainingSequence, adapter: LoRAAdapter) -> (logProbabilities: [Float], kl: [Float]) {
        func logSoftmaxRows(_ adapter: LoRAAdapter?) -> [[Float]] {
            var cache = model.makeCache(capacity: sequence.tokens.count)
            let logits = model.logits(model.hiddenStates(sequence.tokens, cache: &cache, adapter: adapter))
            return (0..<logits.rows).map { VectorMath.logSoftmax(logits.row($0)) }
        }
        let adapted = logSoftmaxRows(adapter), base = logSoftmaxRows(nil)
        let positions = sequence.scoredFrom..<sequence.tokens.count
        return (positions.map { adapted[$0 - 1][sequence.tokens[$0]] },
                positions.map { t in zip(adapted[t - 1], base[t - 1]).reduce(0) { $0 + expf($1.0) * ($1.0 - $1.1) } })
    }

    @Test func matchesTheInferenceForward() {
        let adapter = TinyModel.adapter(blocks: [1, 2])
        let batch = TinyModel.batch(kl: true)
        let result = model.trainingLoss(batch, adapter: adapter)
        var loss: Double = 0
        for (n, sequence) in batch.enumerated() {
            let expected = reference(sequence, adapter: adapter)
            for i in 0..<sequence.scoredCount {
                #expect(abs(result.logProbabilities[n][i] - expected.logProbabilities[i]) < 1e-4)
                #expect(abs(result.kl[n][i] - expected.kl[i]) < 1e-4)
                #expect(result.kl[n][i] >= -1e-6)
                loss += Double(sequence.coefficients[i]) * Double(-expected.logProbabilities[i])
                    + Double(sequence.klWeights![i]) * Double(expected.kl[i])
            }
        }
        #expect(abs(result.loss - loss) < 1e-3 * max(1, abs(loss)))
    }

    @Test func klVanishesWithAnIdentityAdapter() {
        var adapter = TinyModel.adapter(blocks: [0, 1, 2])
        for slot in adapter.slots {
            for i in 0..<(adapter.config.rank * slot.outWidth) { adapter.parameters[slot.bOffset + i] = 0 }
        }
        let result = model.trainingLoss(TinyModel.batch(kl: true), adapter: adapter)
        #expect(result.kl.joined().allSatisfy { abs($0) < 1e-6 })
    }

    @Test func dropoutActsOnlyWhenSeeded() {
        let adapter = TinyModel.adapter(blocks: [1, 2], dropout: 0.3)
        let batch = TinyModel.batch()
        var g1 = [Float](repeating: 0, count: adapter.parameters.count), g2 = g1, g3 = g1
        let evaluation = model.trainingLoss(batch, adapter: adapter).loss
        let unseeded = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &g1).loss
        let seeded = model.trainingLoss(batch, adapter: adapter, dropoutSeed: 4, gradients: &g2).loss
        let reseeded = model.trainingLoss(batch, adapter: adapter, dropoutSeed: 4, gradients: &g3).loss
        #expect(evaluation == unseeded)
        #expect(seeded != unseeded)
        #expect(seeded == reseeded && g2 == g3)
    }

    @Test func gradientsAccumulateAndKeptTapesEqualRecomputedOnes() {
        let adapter = TinyModel.adapter(blocks: [0, 1, 2])
        let batch = TinyModel.batch(kl: true)
        var kept = [Float](repeating: 0, count: adapter.parameters.count), recomputed = kept
        _ = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &kept)
        _ = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &recomputed, tapeBudget: 0)
        #expect(kept == recomputed)
        var twice = kept
        _ = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &twice)
        #expect(zip(twice, kept).allSatisfy { abs($0 - 2 * $1) <= 1e-5 * max(1, abs($1)) })
    }

    @Test func keptEnteringStatesEqualTheFrozenBase() {
        let adapter = TinyModel.adapter(blocks: [2])
        var batch = TinyModel.batch()
        let computed = model.trainingLoss(batch, adapter: adapter)
        let entering = model.residualStream(batch, enteringBlock: 2)
        for n in batch.indices { batch[n].entering = entering[n] }
        let kept = model.trainingLoss(batch, adapter: adapter)
        #expect(kept.loss == computed.loss)
    }
}
