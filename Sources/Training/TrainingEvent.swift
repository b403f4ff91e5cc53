import Foundation

/// What a running trainer tells the world; the headless CLI and the dashboard consume the same events.
public enum TrainingEvent: Sendable {
    /// One RL step finished.
    case step(StepMetrics)
    /// Validation ran after `step`: the mean score over objectives and each objective's mean.
    case validation(step: Int, mean: Double, perObjective: [String: Double])
    /// A checkpoint of `step` is safely on disk.
    case checkpoint(step: Int)
    /// The convergence rule fired at `step`.
    case converged(step: Int)
    /// Training stopped on an error.
    case failed(message: String)
}

/// Pause and stop requests from another thread, honoured by the trainer between steps.
public final class TrainingControl: Sendable {
    private struct State { var paused = false; var stopped = false }
    private let state = LockedValue(State())

    public init() {}

    public func pause() { state.update { $0.paused = true } }
    public func resume() { state.update { $0.paused = false } }
    public func stop() { state.update { $0.stopped = true } }

    public var isPaused: Bool { state.read { $0.paused } }
    public var isStopped: Bool { state.read { $0.stopped } }

    /// Blocks while paused (polling every 20 ms); returns false when a stop was requested.
    public func waitWhilePaused() -> Bool {
        while isPaused && !isStopped { usleep(20_000) }
        return !isStopped
    }
}

/// A value behind a lock, readable and updatable from any thread.
final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func read<T>(_ body: (Value) -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body(value)
    }

    func update(_ body: (inout Value) -> Void) {
        lock.lock(); defer { lock.unlock() }
        body(&value)
    }
}
