/// Where the hierarchical grid search stands.
public enum SearchState: Hashable, Sendable {
    case idle
    case running
    case done
    case cancelled
    case failed(String)
}

/// Progress and results of the grid search.
public struct SearchStatus: Hashable, Sendable {
    public var state: SearchState
    /// The current refinement level, 1-based (0 before the first).
    public var level: Int
    public var levels: Int
    /// Evaluations asked for so far, and how many of them were new (not memoised).
    public var evaluations: Int
    public var uniqueEvaluations: Int
    /// Evaluations the whole search will ask for (3^d per level).
    public var plannedEvaluations: Int
    public var bestWeights: [Double]?
    public var bestScore: Double?
    public var points: [EvaluatedPoint]
    /// What the score measures, when it should be said (e.g. a stand-in).
    public var scoreName: String?

    public init(state: SearchState = .idle, level: Int = 0, levels: Int = 5, evaluations: Int = 0, uniqueEvaluations: Int = 0,
                plannedEvaluations: Int = 0, bestWeights: [Double]? = nil, bestScore: Double? = nil, points: [EvaluatedPoint] = []) {
        self.state = state
        self.level = level
        self.levels = levels
        self.evaluations = evaluations
        self.uniqueEvaluations = uniqueEvaluations
        self.plannedEvaluations = plannedEvaluations
        self.bestWeights = bestWeights
        self.bestScore = bestScore
        self.points = points
    }
}
