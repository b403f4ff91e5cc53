import Ensemble

/// One reflection to generate, as the UI state asks for it at one moment.
public struct GenerationRequest: Hashable, Sendable {
    /// Increases with every request; progress of an older request is stale.
    public var id: Int
    public var statement: String
    public var weights: [Double]
    public var mode: AggregationMode
    /// Also generate with each single adapter and with the base, for the side-by-side view.
    public var compare: Bool
    public var seed: UInt64

    public init(id: Int, statement: String, weights: [Double], mode: AggregationMode, compare: Bool, seed: UInt64) {
        self.id = id
        self.statement = statement
        self.weights = weights
        self.mode = mode
        self.compare = compare
        self.seed = seed
    }
}

/// What the generation worker has produced for a request so far (a whole snapshot, never a delta).
public struct GenerationProgress: Hashable, Sendable {
    public var id: Int
    public var text: String
    public var state: GenerationState
    public var firstTokenSeconds: Double?
    public var totalSeconds: Double?
    /// Per-objective scores of the finished text (empty while no objectives are loaded).
    public var scores: [Double?]
    /// The compared responses, when the request asked for them.
    public var comparison: [ComparisonColumn]?

    public init(id: Int, text: String = "", state: GenerationState, firstTokenSeconds: Double? = nil, totalSeconds: Double? = nil,
                scores: [Double?] = [], comparison: [ComparisonColumn]? = nil) {
        self.id = id
        self.text = text
        self.state = state
        self.firstTokenSeconds = firstTokenSeconds
        self.totalSeconds = totalSeconds
        self.scores = scores
        self.comparison = comparison
    }
}
