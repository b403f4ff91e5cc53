import Foundation
import LanguageModel
import Tensors
import Testing

/// Finite differences on the tiny model: every LoRA A and B of every projection, the entering hidden state, the KL term.
///
/// Each check compares the analytic directional derivative g·d with a 4th-order central difference
/// (8(L(θ+hd) − L(θ−hd)) − (L(θ+2hd) − L(θ−2hd))) / 12h along a random unit direction d, in f32.
@Suite struct GradientCheckTests {
    /// One configuration of the pass to check.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let blocks: [Int]
        let kl: Bool
        let dropout: Float
        let tapeBudget: Int
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "top 2 blocks, kept tapes", blocks: [1, 2], kl: false, dropout: 0, tapeBudget: LlamaModel.tapeBudget),
        Case(name: "blocks 0 and 2, KL, dropout, recomputed tapes", blocks: [0, 2], kl: true, dropout: 0.3, tapeBudget: 0),
        Case(name: "all blocks, KL", blocks: [0, 1, 2], kl: true, dropout: 0, tapeBudget: LlamaModel.tapeBudget),
    ]
    static let tolerance = 1e-3

    let model = TinyModel.make()

    @Test(arguments: cases)
    func everyLoRATensor(_ c: Case) {
        let adapter = TinyModel.adapter(blocks: c.blocks, dropout: c.dropout)
        let batch = TinyModel.batch(kl: c.kl)
        let seed: UInt64? = c.dropout > 0 ? 99 : nil
        var gradients = [Float](repeating: 0, count: adapter.parameters.count)
        _ = model.trainingLoss(batch, adapter: adapter, dropoutSeed: seed, gradients: &gradients, tapeBudget: c.tapeBudget)

        var random = SeededRandom(seed: 5)
        var worst = 0.0
        for slot in adapter.slots {
            for (name, offset, count) in [("A", slot.aOffset, adapter.config.rank * slot.inWidth),
                                          ("B", slot.bOffset, adapter.config.rank * slot.outWidth)] {
                let direction = unit(random.normals(count, std: 1))
                let gradient = gradients[offset..<(offset + count)]
                let analytic = zip(direction, gradient).reduce(0.0) { $0 + Double($1.0 * $1.1) }
                let numeric = centralDifference { h in
                    var moved = adapter
                    for i in 0..<count { moved.parameters[offset + i] += Float(h) * direction[i] }
                    var scratch = [Float](repeating: 0, count: adapter.parameters.count)
                    return model.trainingLoss(batch, adapter: moved, dropoutSeed: seed, gradients: &scratch, tapeBudget: c.tapeBudget).loss
                }
                let error = abs(analytic - numeric) / norm(gradient)
                worst = max(worst, error)
                #expect(error < Self.tolerance, "block \(slot.block) \(slot.projection.rawValue) \(name): analytic \(analytic), numeric \(numeric)")
            }
        }
        print("[gradient check] \(c.name): \(adapter.slots.count * 2) LoRA tensors, worst relative error \(worst)")
    }

    @Test func enteringHiddenState() {
        let adapter = TinyModel.adapter(blocks: [1, 2])
        var batch = TinyModel.batch(kl: false)
        let entering = model.residualStream(batch, enteringBlock: 1)
        for n in batch.indices { batch[n].entering = entering[n] }
        var gradients = [Float](repeating: 0, count: adapter.parameters.count)
        let result = model.trainingLoss(batch, adapter: adapter, dropoutSeed: nil, gradients: &gradients, enteringGradients: true)

        var random = SeededRandom(seed: 8)
        let directions = entering.map { unit(random.normals($0.values.count, std: 1)) }
        let analytic = zip(directions, result.enteringGradients).reduce(0.0) { sum, pair in
            sum + zip(pair.0, pair.1.values).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        }
        let numeric = centralDifference { h in
            var moved = batch
            for n in moved.indices {
                for i in directions[n].indices { moved[n].entering!.values[i] += Float(h) * directions[n][i] }
            }
            return model.trainingLoss(moved, adapter: adapter).loss
        }
        let error = abs(analytic - numeric) / result.enteringGradients.reduce(0.0) { $0 + pow(norm($1.values), 2) }.squareRoot()
        print("[gradient check] entering hidden state: analytic \(analytic), numeric \(numeric), relative error \(error)")
        #expect(error < Self.tolerance)
    }

    // MARK: - Helpers

    /// 4th-order central difference of `loss` at 0 with step h.
    private func centralDifference(h: Double = 0.01, _ loss: (Double) -> Double) -> Double {
        (8 * (loss(h) - loss(-h)) - (loss(2 * h) - loss(-2 * h))) / (12 * h)
    }

    private func unit(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    private func norm<C: Collection<Float>>(_ v: C) -> Double {
        v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }
}
