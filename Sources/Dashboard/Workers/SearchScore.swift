import Objectives
import Synchronization

/// How the grid search scores one weight vector from the responses it generated (higher is better).
public protocol SearchScore: Sendable {
    /// What the score is, shown in the search panel.
    var name: String { get }
    /// One number for the responses to `statements`.
    func score(statements: [String], responses: [String]) throws -> Double
}

/// The paper's score: the mean over objectives of each objective's mean score. The objectives are built on
/// first use, on the search's thread (loading the encoder and the fluency model takes seconds).
public final class ObjectiveMeanScore: SearchScore {
    private let load: @Sendable () throws -> [any Objective]
    private let loaded = Mutex<[any Objective]?>(nil)

    public init(load: @escaping @Sendable () throws -> [any Objective]) {
        self.load = load
    }

    public var name: String { "mean objective score" }

    public func score(statements: [String], responses: [String]) throws -> Double {
        let objectives = try loaded.withLock { cached in
            if let cached { return cached }
            let objectives = try load()
            cached = objectives
            return objectives
        }
        let means = try objectives.map { objective in
            let scores = try objective.score(prompts: statements, responses: responses)
            return scores.reduce(0, +) / Double(max(1, scores.count))
        }
        return means.reduce(0, +) / Double(max(1, means.count))
    }
}

/// A stand-in while no objective is available: the mean share of distinct words in a response.
///
/// It rewards varied wording and nothing else; it only exercises the search machinery.
public struct DistinctWordScore: SearchScore {
    public init() {}

    public var name: String { "stand-in score" }

    public func score(statements: [String], responses: [String]) throws -> Double {
        let ratios = responses.map { response -> Double in
            let words = response.lowercased().split { !$0.isLetter && $0 != "'" }
            return words.isEmpty ? 0 : Double(Set(words).count) / Double(words.count)
        }
        return ratios.reduce(0, +) / Double(max(1, ratios.count))
    }
}
