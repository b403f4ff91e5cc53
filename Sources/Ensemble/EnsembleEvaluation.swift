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
        let means = try objectives.map { objective in
            let scores = try objective.score(prompts: clients, responses: texts)
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
}
