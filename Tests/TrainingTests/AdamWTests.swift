import Foundation
import Testing
import Training

/// AdamW and clipping against PyTorch: `torch.optim.AdamW([p], lr=1e-2)` (defaults otherwise) after
/// `clip_grad_norm_([p], 2.0)`, three steps, values printed by torch 2.13.
@Suite struct AdamWTests {
    @Test func matchesPyTorch() throws {
        var settings = AdamW.Settings()
        settings.learningRate = 1e-2
        var optimizer = AdamW(parameterCount: 4, settings: settings)
        var parameters: [Float] = [0.5, -1, 2, 0]
        let steps: [(gradient: [Float], norm: Float, after: [Float])] = [
            ([0.1, -0.2, 0.3, 0], 0.374165773, [0.489950001, -0.989899993, 1.98979998, 0]),
            ([3, 1, -2, 0.5], 3.77491713, [0.482053787, -0.994397879, 1.9949367, -0.00744136749]),
            ([-0.05, 0.4, 0, 1], 1.07819295, [0.476143181, -1.00088716, 1.99886167, -0.015088262]),
        ]
        for step in steps {
            var gradient = step.gradient
            let norm = optimizer.update(&parameters, gradients: &gradient)
            #expect(abs(norm - step.norm) < 1e-6)
            for (ours, torch) in zip(parameters, step.after) { #expect(abs(ours - torch) < 1e-6) }
        }
        #expect(optimizer.step == 3)
    }

    @Test func clipsToTheGlobalNorm() {
        var optimizer = AdamW(parameterCount: 2)
        var parameters: [Float] = [0, 0], gradient: [Float] = [30, 40]
        #expect(optimizer.update(&parameters, gradients: &gradient) == 50)
        #expect(abs(AdamW.norm(gradient) - 2) < 1e-5)
    }

    @Test func stateRoundTripsThroughJSONAndResumesExactly() throws {
        var optimizer = AdamW(parameterCount: 3)
        var parameters: [Float] = [0.1, 0.2, 0.3], gradient: [Float] = [0.5, -0.25, 1]
        optimizer.update(&parameters, gradients: &gradient)
        var restored = try JSONDecoder().decode(AdamW.self, from: JSONEncoder().encode(optimizer))
        #expect(restored == optimizer)
        var a = parameters, b = parameters, ga: [Float] = [0.3, 0.1, -0.2], gb = ga
        optimizer.update(&a, gradients: &ga)
        restored.update(&b, gradients: &gb)
        #expect(a == b)
    }
}
