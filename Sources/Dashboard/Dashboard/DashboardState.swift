import Ensemble
/// A panel of the dashboard; focus moves between them in this order.
public enum Panel: String, CaseIterable, Hashable, Sendable {
    case training, weights, reflection, search

    /// The key context of the panel.
    public var keyContext: KeyContext {
        switch self {
        case .training: .training
        case .weights: .weights
        case .reflection: .reflection
        case .search: .search
        }
    }
}

/// Text being typed: a weight value or a client statement.
public struct TextEntry: Hashable, Sendable {
    /// What the text is for.
    public enum Target: Hashable, Sendable {
        case weight(Int)
        case statement
    }

    public var target: Target
    public var text: String

    public init(target: Target, text: String = "") {
        self.target = target
        self.text = text
    }
}

/// How the training curves are shown.
public struct ChartView: Hashable, Sendable {
    /// Each level halves the time span shown.
    public var zoom: Int
    /// Steps between the newest step and the right edge.
    public var scrollBack: Double
    /// Show the EMA-smoothed curve over the raw one (else raw only).
    public var smoothed: Bool

    public init(zoom: Int = 0, scrollBack: Double = 0, smoothed: Bool = true) {
        self.zoom = zoom
        self.scrollBack = scrollBack
        self.smoothed = smoothed
    }
}

/// Everything the dashboard shows, as one value: the UI renders a snapshot of it.
///
/// Workers publish changes to their part; the UI thread owns the value and draws it.
public struct DashboardState: Hashable, Sendable {
    /// The objectives, 2 to 5.
    public var objectives: [ObjectiveStatus]
    /// One weight per objective in [0, 1].
    public var weights: [Double]
    public var aggregation: AggregationMode
    public var reflection: ReflectionStatus
    public var search: SearchStatus
    public var chart: ChartView
    public var focus: Panel
    /// The objective selected in the training and weights panels.
    public var selectedObjective: Int
    public var helpVisible: Bool
    public var helpScroll: Int
    public var entry: TextEntry?
    /// A yes/no question over everything (e.g. quitting with unsaved training).
    public var question: String?
    /// An error shown across the top until dismissed.
    public var errorBanner: String?

    public init(objectives: [ObjectiveStatus], weights: [Double]? = nil, aggregation: AggregationMode = .hidden,
                reflection: ReflectionStatus = ReflectionStatus(), search: SearchStatus = SearchStatus(),
                chart: ChartView = ChartView(), focus: Panel = .weights, selectedObjective: Int = 0) {
        self.objectives = objectives
        self.weights = weights ?? Array(repeating: 1, count: objectives.count)
        self.aggregation = aggregation
        self.reflection = reflection
        self.search = search
        self.chart = chart
        self.focus = focus
        self.selectedObjective = selectedObjective
        helpVisible = false
        helpScroll = 0
    }

    /// The context keys are looked up in: the topmost overlay, else the focused panel.
    public var keyContext: KeyContext {
        if question != nil { return .confirm }
        if entry != nil { return .textEntry }
        if helpVisible { return .help }
        return focus.keyContext
    }
}
