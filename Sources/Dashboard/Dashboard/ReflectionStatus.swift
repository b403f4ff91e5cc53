import Ensemble

/// Where the current generation stands.
public enum GenerationState: Hashable, Sendable {
    case idle
    /// Loading the model or adapters; the text says what and how far.
    case loading(String)
    case generating
    case done
    case failed(String)
}

/// One response of the side-by-side comparison (the ensemble, a single adapter, the base).
public struct ComparisonColumn: Hashable, Sendable {
    public var label: String
    public var text: String
    /// The mean of its per-objective scores, when known.
    public var meanScore: Double?

    public init(label: String, text: String, meanScore: Double? = nil) {
        self.label = label
        self.text = text
        self.meanScore = meanScore
    }
}

/// The client statement and the ensemble's reflection of it.
public struct ReflectionStatus: Hashable, Sendable {
    public var statement: String
    /// Where the statement comes from, e.g. `AnnoMI 12/200` or `typed`.
    public var source: String?
    /// The reflection as generated so far.
    public var text: String
    /// Per-objective scores of the finished reflection (nil while unknown).
    public var scores: [Double?]
    public var firstTokenSeconds: Double?
    public var totalSeconds: Double?
    public var state: GenerationState
    /// The side-by-side comparison, when shown.
    public var comparison: [ComparisonColumn]?
    /// What generates, when it matters (e.g. that no adapter is trained yet).
    public var model: String?

    public init(statement: String = "", source: String? = nil, text: String = "", scores: [Double?] = [],
                firstTokenSeconds: Double? = nil, totalSeconds: Double? = nil, state: GenerationState = .idle,
                comparison: [ComparisonColumn]? = nil) {
        self.statement = statement
        self.source = source
        self.text = text
        self.scores = scores
        self.firstTokenSeconds = firstTokenSeconds
        self.totalSeconds = totalSeconds
        self.state = state
        self.comparison = comparison
    }
}
