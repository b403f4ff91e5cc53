import Foundation
import Synchronization

/// Drives training and follows its metrics on a background thread.
///
/// Commands go to the `TrainingDriver`; the curves come from the run directory's `metrics.jsonl`,
/// followed every `interval` seconds, so a run written by another process shows the same way.
public final class TrainingWorker: Sendable {
    /// The latest figures and curves.
    public let snapshots = Mailbox<TrainingSnapshot>()
    /// A command that failed.
    public let errors = Mailbox<String>()

    private let driver: any TrainingDriver
    private let names: [String]
    private let metrics: URL?
    private let interval: TimeInterval
    private let commands = Mutex<[(TrainingCommand, String)]>([])

    /// A worker for objectives `names`, following `metrics` (nil: no run directory).
    public init(driver: any TrainingDriver, names: [String], metrics: URL?, interval: TimeInterval = 0.25) {
        self.driver = driver
        self.names = names
        self.metrics = metrics
        self.interval = interval
    }

    /// Starts following the metrics and serving commands.
    public func start() {
        WorkerThread.start("emorl.training", priority: .background) { [self] in
            let log = metrics.map(MetricsLog.init(url:))
            var curves = TrainingCurves(names: names)
            var last: TrainingSnapshot?
            while true {
                for (command, objective) in commands.withLock({ queue in defer { queue = [] }; return queue }) {
                    do { try driver.perform(command, objective: objective) } catch { errors.post("\(command.rawValue) \(objective): \(error)") }
                }
                if let log {
                    let (records, restarted) = log.poll()
                    if restarted { curves.reset() }
                    for record in records { curves.add(record) }
                }
                let snapshot = TrainingSnapshot(objectives: curves.statuses(driverStates: driver.states()),
                                                unsaved: driver.hasUnsavedProgress())
                if snapshot != last {
                    snapshots.post(snapshot)
                    last = snapshot
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    /// Asks for `command` on objective `index`.
    public func send(_ command: TrainingCommand, objective index: Int) {
        guard names.indices.contains(index) else { return }
        commands.withLock { $0.append((command, names[index])) }
    }
}
