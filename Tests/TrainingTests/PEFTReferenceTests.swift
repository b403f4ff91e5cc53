import Foundation
import LanguageModel
import Tensors
import Testing
import Training

/// The real model against torch + peft on the same GGUF: loss and every LoRA gradient of the fixture's sequence.
@Suite struct PEFTReferenceTests {
    @Test func lossAndGradientsMatchPEFT() throws {
        let model = try RealModel.model.get()
        let adapter = try PEFTAdapter.load(from: fixtureURL("peft_adapter"), model: model.config)
        let reference = try PEFTGradientCase.load()
        let sequence = TrainingSequence(tokens: reference.ids, scoredFrom: reference.responseStart,
                                        coefficients: [Float](repeating: 1, count: reference.ids.count - reference.responseStart))
        var gradients = [Float](repeating: 0, count: adapter.parameters.count)
        let result = model.trainingLoss([sequence], adapter: adapter, dropoutSeed: nil, gradients: &gradients)

        let lossError = abs(result.loss - reference.loss) / abs(reference.loss)
        print("[peft reference] loss \(result.loss) vs \(reference.loss): relative error \(lossError)")
        #expect(lossError < 1e-4)
        for (ours, theirs) in zip(result.logProbabilities[0], reference.responseTokenLogprobs) {
            #expect(abs(Double(ours) - theirs) < 2e-3)
        }

        let expected = try SafeTensorsFile(path: fixtureURL("peft_gradients.safetensors").path)
        let ours = PEFTAdapter.namedTensors(gradients, layout: adapter, model: model.config)
        #expect(Set(ours.keys) == Set(expected.tensorNames))
        var worst = (error: 0.0, name: "")
        for name in expected.tensorNames.sorted() {
            let theirs = try expected.floats(name)
            guard let mine = ours[name]?.values, mine.count == theirs.count else {
                Issue.record("gradient \(name) missing or of the wrong size")
                continue
            }
            let difference = zip(mine, theirs).reduce(0.0) { $0 + pow(Double($1.0 - $1.1), 2) }.squareRoot()
            let norm = theirs.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let error = difference / norm
            if error > worst.error { worst = (error, name) }
            #expect(error < 1e-3, "\(name): ‖ours − peft‖ / ‖peft‖ = \(error)")
        }
        print("[peft reference] \(expected.tensorNames.count) gradients, worst relative error \(worst.error) (\(worst.name))")
    }
}
