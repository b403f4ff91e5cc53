import Dispatch
import Foundation
import Synchronization
import Training

/// Drives training and follows its run directory on a background thread.
///
/// Commands go to the `TrainingDriver`. Every `interval` seconds the worker reads what was appended to the
/// run's `metrics.jsonl` and to each objective's `DIR/<objective>/metrics.jsonl`, and looks for new adapter
/// checkpoints, so a run written by another process shows the same way as one trained here. `stop` ends the
/// following; the trainers themselves are left to finish their step (their checkpoints are atomic).
public final class TrainingWorker: Sendable {
    /// The latest figures, curves and adapter checkpoints.
    public let snapshots = Mailbox<TrainingSnapshot>()
    /// A command that failed, or a training that failed.
    public let errors = Mailbox<String>()

    private let driver: any TrainingDriver
    private let names: [String]
    private let run: DashboardRun?
    private let interval: TimeInterval
    private let commands = Mutex<[(TrainingCommand, String)]>([])
    private let stopping = Atomic<Bool>(false)
    /// Signalled by `stop` to cut the wait between two polls short.
    private let wake = DispatchSemaphore(value: 0)
    private let thread = Mutex<WorkerThread?>(nil)

    /// A worker for objectives `names`, following `run` (nil: no run directory).
    public init(driver: any TrainingDriver, names: [String], run: DashboardRun?, interval: TimeInterval = 0.25) {
        self.driver = driver
        self.names = names
        self.run = run
        self.interval = interval
    }

    /// Starts following the run and serving commands.
    public func start() {
        let started = WorkerThread.start("emorl.training", priority: .background) { [self] in
            let logs = run.map { run in
                [MetricsLog(url: run.metricsFile)] + names.map { MetricsLog(url: run.run($0).metricsFile, objective: $0) }
            } ?? []
            var curves = TrainingCurves(names: names)
            var last: TrainingSnapshot?
            var lastStates: [String: TrainingState] = [:]
            while !stopping.load(ordering: .relaxed) {
                for (command, objective) in commands.withLock({ queue in defer { queue = [] }; return queue }) {
                    do { try driver.perform(command, objective: objective) } catch { errors.post("\(command.rawValue) \(objective): \(error)") }
                }
                for log in logs {
                    let (records, restarted) = log.poll()
                    if restarted { curves.reset(log.objective) }
                    for record in records { curves.add(record, to: log.objective) }
                }
                let states = driver.states()
                for (name, state) in states where state != lastStates[name] {
                    if case .failed(let message) = state { errors.post("training \(name) failed: \(message)") }
                }
                lastStates = states
                let snapshot = TrainingSnapshot(objectives: curves.statuses(driverStates: states), unsaved: driver.hasUnsavedProgress(),
                                                adapters: names.map { name in run.flatMap { TrainedAdapter(folder: $0.adapterFolder(name)) } })
                if snapshot != last {
                    snapshots.post(snapshot)
                    last = snapshot
                }
                _ = wake.wait(timeout: .now() + interval)
            }
        }
        thread.withLock { $0 = started }
    }

    /// Stops following the run and waits up to `seconds` for the thread to end; whether it did.
    @discardableResult
    public func stop(seconds: Double) -> Bool {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
        return thread.withLock { $0 }?.join(seconds: seconds) ?? true
    }

    /// Asks for `command` on objective `index`.
    public func send(_ command: TrainingCommand, objective index: Int) {
        guard names.indices.contains(index) else { return }
        commands.withLock { $0.append((command, names[index])) }
    }
}
