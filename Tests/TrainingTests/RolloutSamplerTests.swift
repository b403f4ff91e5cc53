import LanguageModel
import Tensors
@testable import Training
import Testing

@Suite struct RolloutSamplerTests {
    let model = LlamaModel(config: .tiny, weights: .random(config: .tiny, seed: 5))
    let prompts = [[1, 2, 3], [7, 8, 9, 10, 11], [20]]

    @Test func greedyRolloutsEqualSingleStreamGeneration() {
        var random = SeededRandom(seed: 1)
        let responses = RolloutSampler(engine: model).sample(
            prompts: prompts, adapter: nil, samplesPerPrompt: 2, maxNewTokens: 6, sampling: .greedy, random: &random, stopToken: 39).responses
        #expect(responses.count == 6)
        for (p, prompt) in prompts.enumerated() {
            var sampler = Sampler(.greedy, seed: 0)
            let single = Generator(model: model).generate(prompt: prompt, maxNewTokens: 6, sampler: &sampler, stopTokens: [39])
            let expected = single.stopReason == .stopToken ? single.tokens + [39] : single.tokens
            #expect(responses[2 * p] == expected && responses[2 * p + 1] == expected, "prompt \(p)")
        }
    }

    @Test func samplingIsSeededAndStopsAtTheStopToken() {
        var a = SeededRandom(seed: 4), b = SeededRandom(seed: 4)
        let sampler = RolloutSampler(engine: model)
        let first = sampler.sample(prompts: prompts, adapter: nil, samplesPerPrompt: 3, maxNewTokens: 12,
                                   sampling: SamplingParameters(temperature: 1, topK: 0, topP: 1), random: &a, stopToken: 5).responses
        let second = sampler.sample(prompts: prompts, adapter: nil, samplesPerPrompt: 3, maxNewTokens: 12,
                                    sampling: SamplingParameters(temperature: 1, topK: 0, topP: 1), random: &b, stopToken: 5).responses
        #expect(first == second && a == b)
        for response in first {
            #expect(response.count >= 1 && response.count <= 12)
            #expect(!response.dropLast().contains(5), "nothing follows the stop token")
        }
        #expect(Set(first.map { $0 }).count > 1, "samples differ under sampling")
    }

    /// The rollout hands over the states entering the first adapted block; from the same (f32) engine they give the
    /// loss and gradients of the path that recomputes the frozen base.
    @Test func keptEnteringStatesGiveTheRecomputedGradients() {
        let tiny = TinyModel.make()
        let adapter = TinyModel.adapter(blocks: [2])
        var random = SeededRandom(seed: 9)
        let rollout = RolloutSampler(engine: tiny).sample(
            prompts: prompts, adapter: adapter, samplesPerPrompt: 2, maxNewTokens: 7,
            sampling: SamplingParameters(temperature: 1, topK: 0, topP: 1), random: &random, stopToken: 5, keepingInputOf: 2)
        var kept = rollout.responses.indices.map { i in
            let prompt = prompts[i / 2], response = rollout.responses[i]
            return TrainingSequence(tokens: prompt + response, scoredFrom: prompt.count,
                                    coefficients: response.indices.map { Float($0 % 3) - 1 + Float(i) / 10 })
        }
        let recomputed = kept
        let frozen = tiny.residualStream(kept, enteringBlock: 2)
        for i in kept.indices {
            let entering = rollout.entering[i]
            #expect(entering.rows == kept[i].tokens.count - 1 && entering.cols == TinyModel.config.embeddingWidth)
            #expect(zip(entering.values, frozen[i].values).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "sample \(i)")
            kept[i].entering = entering
        }
        var keptGradients = [Float](repeating: 0, count: adapter.parameters.count), recomputedGradients = keptGradients
        let keptLoss = tiny.trainingLoss(kept, adapter: adapter, dropoutSeed: nil, gradients: &keptGradients).loss
        let recomputedLoss = tiny.trainingLoss(recomputed, adapter: adapter, dropoutSeed: nil, gradients: &recomputedGradients).loss
        #expect(abs(keptLoss - recomputedLoss) <= 1e-5 * max(1, abs(recomputedLoss)))
        let scale = recomputedGradients.map(abs).max()!
        #expect(scale > 0)
        #expect(zip(keptGradients, recomputedGradients).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
    }
}
