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
            prompts: prompts, adapter: nil, samplesPerPrompt: 2, maxNewTokens: 6, sampling: .greedy, random: &random, stopToken: 39)
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
                                   sampling: SamplingParameters(temperature: 1, topK: 0, topP: 1), random: &a, stopToken: 5)
        let second = sampler.sample(prompts: prompts, adapter: nil, samplesPerPrompt: 3, maxNewTokens: 12,
                                    sampling: SamplingParameters(temperature: 1, topK: 0, topP: 1), random: &b, stopToken: 5)
        #expect(first == second && a == b)
        for response in first {
            #expect(response.count >= 1 && response.count <= 12)
            #expect(!response.dropLast().contains(5), "nothing follows the stop token")
        }
        #expect(Set(first.map { $0 }).count > 1, "samples differ under sampling")
    }
}
