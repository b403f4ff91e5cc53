/// Where one objective's training stands.
public enum TrainingState: Hashable, Sendable {
    case idle
    case running
    case paused
    case converged
    case failed(String)

    /// A one-word label for tables.
    public var label: String {
        switch self {
        case .idle: "idle"
        case .running: "running"
        case .paused: "paused"
        case .converged: "converged"
        case .failed: "failed"
        }
    }
}

/// One point of a training curve.
public struct CurvePoint: Hashable, Sendable {
    public var step: Int
    /// Mean training reward of the step.
    public var reward: Double
    /// Validation mean, on the steps that validated.
    public var validation: Double?

    public init(step: Int, reward: Double, validation: Double? = nil) {
        self.step = step
        self.reward = reward
        self.validation = validation
    }
}

/// What the dashboard shows of one objective: its curve and training figures.
public struct ObjectiveStatus: Hashable, Sendable {
    public var name: String
    /// Which `objective1`…`objective5` theme colour it takes (0-based).
    public var colorIndex: Int
    public var curve: [CurvePoint]
    public var reward: Double?
    public var validationMean: Double?
    public var dataPoints: Int
    public var seconds: Double
    public var stepsPerMinute: Double?
    public var state: TrainingState

    public init(name: String, colorIndex: Int, curve: [CurvePoint] = [], reward: Double? = nil, validationMean: Double? = nil,
                dataPoints: Int = 0, seconds: Double = 0, stepsPerMinute: Double? = nil, state: TrainingState = .idle) {
        self.name = name
        self.colorIndex = colorIndex
        self.curve = curve
        self.reward = reward
        self.validationMean = validationMean
        self.dataPoints = dataPoints
        self.seconds = seconds
        self.stepsPerMinute = stepsPerMinute
        self.state = state
    }
}
