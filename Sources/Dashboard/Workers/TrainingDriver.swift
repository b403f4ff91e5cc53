/// The dashboard's handle on a trainer: commands per objective, and what each objective's training is doing.
///
/// The curves do not come through here: the trainer writes the run directory's `metrics.jsonl` and the
/// `TrainingWorker` follows it, the same way it follows a run another process writes.
public protocol TrainingDriver: Sendable {
    /// Carries out `command` for the objective named `objective`.
    func perform(_ command: TrainingCommand, objective: String) throws
    /// The state of each objective it trains (absent: not trained by this driver).
    func states() -> [String: TrainingState]
    /// Whether any progress would be lost by quitting now (not yet checkpointed).
    func hasUnsavedProgress() -> Bool
}

/// The driver of a build without the trainer: every command explains how to watch a run instead.
public struct UnavailableTrainer: TrainingDriver {
    public init() {}

    public func perform(_ command: TrainingCommand, objective: String) throws {
        throw TrainingUnavailable()
    }

    public func states() -> [String: TrainingState] { [:] }
    public func hasUnsavedProgress() -> Bool { false }
}

/// Training cannot start from this build.
public struct TrainingUnavailable: Error, CustomStringConvertible {
    public var description: String {
        "training is not in this build yet; the dashboard follows a run that another process writes: emorl dashboard --run DIR"
    }
}

/// What the training panel shows: every objective's figures and curve, and whether quitting loses work.
public struct TrainingSnapshot: Hashable, Sendable {
    public var objectives: [ObjectiveStatus]
    public var unsaved: Bool

    public init(objectives: [ObjectiveStatus], unsaved: Bool) {
        self.objectives = objectives
        self.unsaved = unsaved
    }
}
