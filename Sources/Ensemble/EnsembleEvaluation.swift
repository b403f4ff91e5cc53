import Foundation
import LanguageModel
import Objectives

/// Scores aggregation weights as the paper's search does: one greedy response per validation prompt,
/// each objective's mean score over them, and the mean of those means (or a preference-weighted mean).
public final class EnsembleEvaluation {
    public let batch: EnsembleBatch
    public let clients: [String]
    public let objectives: [any Objective]
    /// Weights over the objectives for the search score (nil: the plain mean).
    public let preference: [Double]?
    let tokenizer: any Tokenizer
    /// Results by mode and normalised weights, for the modes whose responses depend only on the weights' direction.
    private var byDirection: [String: Result] = [:]
    /// Weight vectors whose responses were generated and scored (the others reused a proportional one's).
    public private(set) var generated = 0
    /// Per objective, the score of each (client statement, response) pair met so far: nearby weights often give
    /// the same response to a statement, and it is scored once.
    private var knownScores: [[PairKey: Double]]
    /// Pairs scored by the objectives, and pairs answered from `knownScores`.
    public private(set) var scoredPairs = 0, reusedPairs = 0

    struct PairKey: Hashable {
        let client: Int
        let response: String
    }

    /// One evaluated weight vector.
    public struct Result: Sendable, Codable, Equatable {
        public var weights: [Double]
        public var mode: AggregationMode
        /// Per objective (in the evaluation's order): the mean score over the prompts.
        public var objectiveMeans: [Double]
        /// The search score: the (preference-weighted) mean of `objectiveMeans`.
        public var score: Double
        /// Mean response length in tokens.
        public var meanLength: Double
        public var seconds: Double
        public var responses: [String]
    }

    /// `clients[i]` is the statement whose chat prompt is `batch.prompts[i]`.
    public init(batch: EnsembleBatch, clients: [String], tokenizer: any Tokenizer, objectives: [any Objective],
                preference: [Double]? = nil) throws {
        guard clients.count == batch.prompts.count else {
            throw EnsembleError(message: "\(clients.count) client statements for \(batch.prompts.count) prompts")
        }
        guard !objectives.isEmpty else { throw EnsembleError(message: "the evaluation needs at least one objective") }
        if let preference {
            guard preference.count == objectives.count, preference.allSatisfy({ $0.isFinite && $0 >= 0 }),
                  preference.contains(where: { $0 > 0 }) else {
                throw EnsembleError(message: "the preference needs \(objectives.count) finite non-negative weights, not all zero (one per objective), got \(preference)")
            }
        }
        self.batch = batch
        self.clients = clients
        self.tokenizer = tokenizer
        self.objectives = objectives
        self.preference = preference
        knownScores = objectives.map { _ in [:] }
    }

    /// Generates the responses for `weights` in `mode` and scores them. In `hidden` and `logits` modes weights
    /// proportional to ones already evaluated reuse that result (their greedy responses are the same).
    public func evaluate(weights: [Double], mode: AggregationMode, shouldContinue: () -> Bool = { true }) throws -> Result {
        let start = Date()
        let total = weights.reduce(0, +)
        let direction = mode == .parameters || !(total > 0) ? nil : "\(mode.rawValue) \(weights.map { $0 / total })"
        if let direction, var known = byDirection[direction] {
            known.weights = weights
            known.seconds = Date().timeIntervalSince(start)
            return known
        }
        let tokens = try batch.responses(weights: weights, mode: mode, shouldContinue: shouldContinue)
        generated += 1
        let texts = tokens.map { tokenizer.decode($0) }
        let means = try objectives.indices.map { j in
            let scores = try scores(j, texts)
            return scores.reduce(0, +) / Double(scores.count)
        }
        let preference = preference ?? Array(repeating: 1, count: means.count)
        let score = zip(means, preference).map { $0 * $1 }.reduce(0, +) / preference.reduce(0, +)
        let result = Result(weights: weights, mode: mode, objectiveMeans: means, score: score,
                            meanLength: Double(tokens.map(\.count).reduce(0, +)) / Double(tokens.count),
                            seconds: Date().timeIntervalSince(start), responses: texts)
        if let direction { byDirection[direction] = result }
        return result
    }

    /// Objective `j`'s scores of `responses` (one per client statement, in order), scoring only pairs not met before.
    private func scores(_ j: Int, _ responses: [String]) throws -> [Double] {
        let keys = responses.indices.map { PairKey(client: $0, response: responses[$0]) }
        let missing = keys.indices.filter { knownScores[j][keys[$0]] == nil }
        if !missing.isEmpty {
            let scores = try objectives[j].score(prompts: missing.map { clients[$0] }, responses: missing.map { responses[$0] })
            for (i, score) in zip(missing, scores) { knownScores[j][keys[i]] = score }
        }
        scoredPairs += missing.count
        reusedPairs += keys.count - missing.count
        return keys.map { knownScores[j][$0]! }
    }
}
