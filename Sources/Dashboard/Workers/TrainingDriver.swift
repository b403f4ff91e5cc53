/// The dashboard's handle on a trainer: commands per objective, and what each objective's training is doing.
///
/// The curves do not come through here: the trainer writes its sub-run's `metrics.jsonl` and the
/// `TrainingWorker` follows it, the same way it follows a run another process writes. `TrainerDriver`
/// trains for real; `UnavailableTrainer` stands in when there is no run directory or no objectives to build.
public protocol TrainingDriver: Sendable {
    /// Carries out `command` for the objective named `objective`.
    func perform(_ command: TrainingCommand, objective: String) throws
    /// The state of each objective it trains (absent: not trained by this driver).
    func states() -> [String: TrainingState]
    /// Whether any progress would be lost by quitting now (not yet checkpointed).
    func hasUnsavedProgress() -> Bool
}

/// The driver when training cannot start here (no run directory, or no way to build objectives): every
/// command explains how to watch a run instead.
public struct UnavailableTrainer: TrainingDriver {
    public init() {}

    public func perform(_ command: TrainingCommand, objective: String) throws {
        throw TrainingUnavailable()
    }

    public func states() -> [String: TrainingState] { [:] }
    public func hasUnsavedProgress() -> Bool { false }
}

/// Training cannot start from this dashboard.
public struct TrainingUnavailable: Error, CustomStringConvertible {
    public var description: String {
        "this dashboard cannot train; it follows a run that another process writes: emorl dashboard --run DIR"
    }
}

/// What the training panel shows: every objective's figures and curve, whether quitting loses work, and
/// each objective's latest adapter checkpoint (for the generation worker to load).
public struct TrainingSnapshot: Hashable, Sendable {
    public var objectives: [ObjectiveStatus]
    public var unsaved: Bool
    public var adapters: [TrainedAdapter?]

    public init(objectives: [ObjectiveStatus], unsaved: Bool, adapters: [TrainedAdapter?] = []) {
        self.objectives = objectives
        self.unsaved = unsaved
        self.adapters = adapters
    }
}
