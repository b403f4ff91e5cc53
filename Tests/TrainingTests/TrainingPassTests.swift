import Foundation
@testable import LanguageModel
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

    /// Two prompts with three samples each (one sample a single stop token), as the trainer batches them.
    static func sharedPromptBatch(kl: Bool, entering model: LlamaModel? = nil, block: Int = 0) -> [TrainingSequence] {
        var random = SeededRandom(seed: 41)
        let v = UInt64(TinyModel.config.vocabularySize)
        var batch: [TrainingSequence] = []
        for (promptLength, responseLengths) in [(6, [5, 1, 8]), (3, [4, 7, 2])] {
            let prompt = (0..<promptLength).map { _ in Int(random.next() % v) }
            for length in responseLengths {
                let tokens = prompt + (0..<length).map { _ in Int(random.next() % v) }
                batch.append(TrainingSequence(tokens: tokens, scoredFrom: promptLength, coefficients: random.normals(length, std: 1),
                                              klWeights: kl ? random.normals(length, std: 1).map { abs($0) } : nil))
            }
        }
        if let model {
            let entering = model.residualStream(batch, enteringBlock: block)
            for n in batch.indices { batch[n].entering = entering[n] }
        }
        return batch
    }

    @Test(arguments: [false, true])
    func samplesSharingAPromptGiveTheLossAndGradientsOfSeparateSequences(keptEntering: Bool) {
        let adapter = TinyModel.adapter(blocks: [1, 2])
        let batch = Self.sharedPromptBatch(kl: true, entering: keptEntering ? model : nil, block: 1)
        var shared = [Float](repeating: 0, count: adapter.parameters.count), separate = shared
        let a = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &shared)
        // Asking for each sequence's entering gradient keeps every sequence in rows of its own.
        let b = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &separate, enteringGradients: true)
        #expect(abs(a.loss - b.loss) <= 1e-5 * abs(b.loss))
        #expect(zip(a.logProbabilities.joined(), b.logProbabilities.joined()).allSatisfy { abs($0 - $1) <= 1e-5 })
        // Float sums run in another order: differences stay at rounding level against the gradient's scale.
        let worst = zip(shared, separate).map { abs($0 - $1) }.max()! / separate.map(abs).max()!
        #expect(worst <= 1e-5, "worst gradient difference \(worst) of the largest gradient")
        #expect(separate.contains { $0 != 0 })
        // The prompts are stored once: 6 + 4 + 0 + 7 and 3 + 3 + 6 + 1 rows instead of 10 + 6 + 13 and 6 + 9 + 4.
        #expect(RowLayout(sharingPrompts: batch).rows == 30 && RowLayout(lengths: batch.map(\.rowCount)).rows == 48)
    }
}
