/// What the app loop does after the state changed: tell a worker, switch theme, or stop.
public enum Effect: Hashable, Sendable {
    /// The statement, weights, mode or compare view changed: generate again (the latest request wins).
    case regenerate
    case startSearch
    case cancelSearch
    /// A command for the training of objective `objective`.
    case training(objective: Int, TrainingCommand)
    case cycleTheme
    case quit
}

/// What the dashboard asks of an objective's training.
public enum TrainingCommand: String, Hashable, Sendable {
    case start, pause, resume, stop
}
