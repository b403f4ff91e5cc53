@testable import Ensemble
import LanguageModel
import Objectives
import Tensors
import Testing

/// The batched greedy decoder behind the search and the evaluation, on the tiny random model.
@Suite struct EnsembleBatchTests {
    let model = LlamaModel(config: .tiny, weights: .random(config: .tiny, seed: 11))
    let prompts = [[3, 17, 5, 29, 8, 1], [4, 4, 9], [30, 2, 7, 7, 12]]

    var adapters: [LoRAAdapter] { EnsembleGeneratorTests().adapters }

    /// What `EnsembleGenerator` answers to each prompt alone, greedily.
    func alone(_ weights: [Double], _ mode: AggregationMode, maxNewTokens: Int, stop: Set<Int>) throws -> [[Int]] {
        let generator = EnsembleGenerator(model: model, adapters: adapters)
        return try prompts.map { prompt in
            var sampler = Sampler(.greedy, seed: 0)
            return try generator.generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: maxNewTokens,
                                          sampler: &sampler, stopTokens: stop).tokens
        }
    }

    @Test(arguments: AggregationMode.allCases)
    func batchedResponsesEqualEachPromptAloneAndRepeat(mode: AggregationMode) throws {
        let probe = try alone([0.3, 0.6, 0.2], mode, maxNewTokens: 10, stop: [])
        let stop: Set<Int> = [probe[1][3]]                       // one prompt stops early, the others run on
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 10, stopTokens: stop)
        for weights in [[0.3, 0.6, 0.2], [1.0, 0.0, 0.0], [0.3, 0.6, 0.2]] {
            #expect(try batch.responses(weights: weights, mode: mode) == alone(weights, mode, maxNewTokens: 10, stop: stop),
                    "weights \(weights), mode \(mode)")
        }
    }

    /// A walk over nearby, distant and zero weights on one batch: every call equals fresh decoding, and a repeated
    /// call is served from the trails alone (in `parameters` mode: only the adapted blocks run).
    @Test(arguments: AggregationMode.allCases)
    func responsesAlongAndOffTheTrailsEqualFreshDecoding(mode: AggregationMode) throws {
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 12, stopTokens: [])
        let walk = [[0.3, 0.6, 0.2], [0.35, 0.6, 0.2], [0, 0.6, 0.2], [0.3, 0.2, 0.6], [0.9, 0.1, 0.1], [0.9, 0.1, 0.12], [1, 0, 0]]
        for weights in walk {
            #expect(try batch.responses(weights: weights, mode: mode) == alone(weights, mode, maxNewTokens: 12, stop: []),
                    "weights \(weights), mode \(mode)")
        }
        let computed = batch.computedPositions, replayed = batch.replayedPositions
        #expect(try batch.responses(weights: [1, 0, 0], mode: mode) == alone([1, 0, 0], mode, maxNewTokens: 12, stop: []))
        let fed = prompts.count * 11                           // 12 tokens each, the last one never fed
        #expect(batch.computedPositions == computed && batch.replayedPositions == replayed + fed)
        #expect(replayed > 0, "nearby weights shared no prefix")
    }

    @Test(arguments: [AggregationMode.hidden, .logits])
    func proportionalWeightsGiveTheSameResponsesAndRepeatedDirectionsAreNotRegenerated(mode: AggregationMode) throws {
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 8, stopTokens: [])
        #expect(try batch.responses(weights: [0.3, 0.6, 0.2], mode: mode) == batch.responses(weights: [0.9, 1.8, 0.6], mode: mode))
        #expect(try batch.responses(weights: [0, 0.5, 0.5], mode: mode) == batch.responses(weights: [0, 1, 1], mode: mode))
        let counter = CountingObjective()
        let evaluation = try EnsembleEvaluation(batch: batch, clients: ["a", "b", "c"], tokenizer: LetterTokenizer(), objectives: [counter])
        let first = try evaluation.evaluate(weights: [0.25, 0.5, 0], mode: mode)
        let again = try evaluation.evaluate(weights: [0.5, 1, 0], mode: mode)
        #expect(again.weights == [0.5, 1, 0] && again.score == first.score && again.responses == first.responses)
        #expect(counter.calls == 1 && evaluation.generated == 1, "the proportional weights were scored again")
        let other = try evaluation.evaluate(weights: [0.5, 0.5, 0], mode: mode)
        #expect(evaluation.generated == 2)
        // Only responses not met before for their statement reach the objective.
        let unseen = zip(other.responses, first.responses).filter { $0 != $1 }.count
        #expect(counter.calls == (unseen > 0 ? 2 : 1) && counter.pairs == 3 + unseen)
        #expect(evaluation.scoredPairs == 3 + unseen && evaluation.reusedPairs == 3 - unseen)
    }

    @Test(arguments: AggregationMode.allCases)
    func aCancelledCallLeavesTheBatchAsItWas(mode: AggregationMode) throws {
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 8, stopTokens: [])
        _ = try batch.responses(weights: [0.2, 0.7, 0.1], mode: mode)                  // trails to part from
        var steps = 0
        #expect(throws: CancellationError.self) {
            _ = try batch.responses(weights: [0.5, 0.5, 0.5], mode: mode) { steps += 1; return steps < 3 }
        }
        #expect(try batch.responses(weights: [0.5, 0.5, 0.5], mode: mode) == alone([0.5, 0.5, 0.5], mode, maxNewTokens: 8, stop: []))
        #expect(try batch.responses(weights: [0.2, 0.7, 0.1], mode: mode) == alone([0.2, 0.7, 0.1], mode, maxNewTokens: 8, stop: []))
    }

    @Test func badWeightsAndPreferencesAreClearErrors() throws {
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 4, stopTokens: [])
        #expect(throws: EnsembleError.self) { try batch.responses(weights: [0, 0, 0], mode: .hidden) }
        #expect(throws: EnsembleError.self) { try batch.responses(weights: [0.5, 0.5], mode: .logits) }
        let tokenizer = LetterTokenizer()
        #expect(throws: EnsembleError.self) {
            try EnsembleEvaluation(batch: batch, clients: ["a", "b", "c"], tokenizer: tokenizer, objectives: [LengthObjective()],
                                   preference: [1, 2])
        }
        #expect(throws: EnsembleError.self) {
            try EnsembleEvaluation(batch: batch, clients: ["a"], tokenizer: tokenizer, objectives: [LengthObjective()])
        }
    }

    @Test func theEvaluationScoresTheResponsesItGenerates() throws {
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: prompts, maxNewTokens: 6, stopTokens: [])
        let tokenizer = LetterTokenizer()
        let evaluation = try EnsembleEvaluation(batch: batch, clients: ["a", "b", "c"], tokenizer: tokenizer,
                                                objectives: [LengthObjective(), ConstantObjective(value: 0.2)], preference: [3, 1])
        let result = try evaluation.evaluate(weights: [0.2, 0.4, 0.6], mode: .hidden)
        let lengths = result.responses.map { Double($0.count) / 100 }
        #expect(result.objectiveMeans[0] == lengths.reduce(0, +) / 3)
        #expect(abs(result.objectiveMeans[1] - 0.2) < 1e-12)
        #expect(abs(result.score - (3 * result.objectiveMeans[0] + 0.2) / 4) < 1e-12)
        #expect(result.meanLength == 6)
    }
}

/// Characters / 100: a score that depends on the response.
struct LengthObjective: Objective {
    var name: String { "length" }
    func score(prompts: [String], responses: [String]) throws -> [Double] { responses.map { Double($0.count) / 100 } }
}

/// Counts its calls; scores like `LengthObjective`.
final class CountingObjective: Objective, @unchecked Sendable {
    var calls = 0, pairs = 0
    var name: String { "counting" }
    func score(prompts: [String], responses: [String]) throws -> [Double] {
        calls += 1
        pairs += responses.count
        return responses.map { Double($0.count) / 100 }
    }
}

/// The same score for every response.
struct ConstantObjective: Objective {
    let value: Double
    var name: String { "constant" }
    func score(prompts: [String], responses: [String]) throws -> [Double] { responses.map { _ in value } }
}

/// Token t is the letter "a" + t % 26: responses of n tokens are n characters.
struct LetterTokenizer: Tokenizer {
    var vocabularySize: Int { LlamaConfig.tiny.vocabularySize }
    var eosID: Int { 0 }
    func encode(_ text: String) -> [Int] { text.unicodeScalars.map { Int($0.value) % 26 } }
    func bytes(of token: Int) -> [UInt8] { [UInt8(97 + token % 26)] }
    func specialTokenID(_ text: String) -> Int? { nil }
}
