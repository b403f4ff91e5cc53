import Foundation
import Objectives
import Synchronization
import Training

/// Trains the dashboard's objectives: one `Trainer` per objective, each on its own background thread,
/// writing its sub-run of the dashboard's run directory and continuing that sub-run's checkpoint if it has one.
///
/// Start, pause, resume and stop go to the trainer's `TrainingControl`, which it reads between steps: the step
/// under way finishes and is logged first, and a stop then checkpoints. Start on a paused objective resumes it.
public final class TrainerDriver: TrainingDriver {
    /// Builds the objective called `name` (the objective registry's job); it may use the loaded model.
    public typealias ObjectiveFactory = @Sendable (_ name: String, _ setup: TrainingSetup) throws -> any Objective

    /// One objective's training as the driver tracks it.
    private struct Slot {
        var state: TrainingState
        /// The running trainer's control; nil once its thread has ended.
        var control: TrainingControl?
        /// Steps logged since the last checkpoint.
        var unsavedSteps = 0
    }

    private let run: DashboardRun
    private let scale: TrainingScale
    private let maxSteps: Int
    private let load: @Sendable () throws -> TrainingSetup
    private let makeObjective: ObjectiveFactory
    private let slots = Mutex<[String: Slot]>([:])
    private let setup = Mutex<TrainingSetup?>(nil)

    /// A driver training into `run` for up to `maxSteps` steps per objective; `load` is called once, on the first start.
    public init(run: DashboardRun, scale: TrainingScale = .paper, maxSteps: Int = 150,
                load: @escaping @Sendable () throws -> TrainingSetup, objective: @escaping ObjectiveFactory) {
        self.run = run
        self.scale = scale
        self.maxSteps = maxSteps
        self.load = load
        self.makeObjective = objective
    }

    public func perform(_ command: TrainingCommand, objective name: String) throws {
        try slots.withLock { slots throws(TrainingCommandRefused) in
            let control = slots[name]?.control
            switch command {
            case .start:
                guard let control else {
                    let control = TrainingControl()
                    slots[name] = Slot(state: .running, control: control)
                    launch(name, control)
                    return
                }
                guard !control.isStopped else { throw TrainingCommandRefused("\(name) is stopping; start it again once it is idle") }
                control.resume()
                slots[name]?.state = .running
            case .pause, .resume:
                guard let control, !control.isStopped else { throw TrainingCommandRefused("\(name) is not training") }
                if command == .pause { control.pause() } else { control.resume() }
                slots[name]?.state = command == .pause ? .paused : .running
            case .stop:
                guard let control else { throw TrainingCommandRefused("\(name) is not training") }
                control.stop()
            }
        }
    }

    public func states() -> [String: TrainingState] {
        slots.withLock { $0.mapValues(\.state) }
    }

    public func hasUnsavedProgress() -> Bool {
        slots.withLock { $0.values.contains { $0.unsavedSteps > 0 } }
    }

    // MARK: - Training thread

    /// Trains `name` on a new background thread until it stops, converges, reaches `maxSteps` or fails.
    private func launch(_ name: String, _ control: TrainingControl) {
        WorkerThread.start("emorl.train", priority: .background) { [self] in
            var ending = TrainingState.idle
            do {
                try makeTrainer(name).train(maxSteps: maxSteps, control: control) { event in
                    switch event {
                    case .step: slots.withLock { $0[name]?.unsavedSteps += 1 }
                    case .checkpoint: slots.withLock { $0[name]?.unsavedSteps = 0 }
                    case .converged: ending = .converged
                    case .failed(let message): ending = .failed(message)
                    case .validation: break
                    }
                }
                finish(name, ending)
            } catch {
                finish(name, .failed("\(error)"))
            }
        }
    }

    /// The thread of `name` ended in `state`; what it did not checkpoint cannot be saved any more.
    private func finish(_ name: String, _ state: TrainingState) {
        slots.withLock { $0[name] = Slot(state: state) }
    }

    /// A trainer for `name` over its sub-run; a sub-run with a checkpoint keeps the config it was started with.
    private func makeTrainer(_ name: String) throws -> Trainer {
        let setup = try loadedSetup()
        let directory = run.run(name)
        var config = scale.config(objective: name, model: setup.policy.config)
        if FileManager.default.fileExists(atPath: directory.stateFile.path) {
            config = try directory.manifest(expecting: setup.fingerprint).config
        }
        return try Trainer(config: config, run: directory, policy: setup.policy, engine: setup.engine, tokenizer: setup.tokenizer,
                           counselor: setup.counselor, objectives: [try makeObjective(name, setup)],
                           trainClients: setup.trainClients, validationClients: setup.validationClients,
                           fingerprint: setup.fingerprint)
    }

    /// The shared setup, loaded by the first trainer that needs it.
    private func loadedSetup() throws -> TrainingSetup {
        try setup.withLock { cached in
            if let cached { return cached }
            let loaded = try load()
            cached = loaded
            return loaded
        }
    }
}

/// A training command that does not fit the objective's state (e.g. pausing one that is not training).
public struct TrainingCommandRefused: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
