import Foundation

/// The training figures of every objective, built from metrics records as they arrive.
public struct TrainingCurves: Sendable {
    /// How long after its last record an objective still counts as running (when no driver says).
    public static let liveSeconds: TimeInterval = 30

    public private(set) var objectives: [ObjectiveStatus]
    /// When each objective last got a record.
    private var updated: [Date?]
    /// (step, seconds) of recent records per objective, for steps per minute.
    private var recent: [[(step: Int, seconds: Double)]]

    public init(names: [String]) {
        objectives = names.enumerated().map { ObjectiveStatus(name: $1, colorIndex: $0) }
        updated = Array(repeating: nil, count: names.count)
        recent = Array(repeating: [], count: names.count)
    }

    /// Forgets every curve (the metrics file started over).
    public mutating func reset() {
        self = TrainingCurves(names: objectives.map(\.name))
    }

    /// Adds `record` to the objective it names, or to every objective it has a `rewards/<name>/mean` for.
    public mutating func add(_ record: MetricsRecord, at now: Date = Date()) {
        let names = objectives.map(\.name)
        var targets: [(Int, Double)] = []
        if let name = record.objective, let index = names.firstIndex(of: name),
           let reward = record.reward ?? record.objectiveRewards[name] {
            targets = [(index, reward)]
        } else if record.objective == nil {
            targets = names.enumerated().compactMap { index, name in record.objectiveRewards[name].map { (index, $0) } }
        }
        for (index, reward) in targets {
            var status = objectives[index]
            status.curve.append(CurvePoint(step: record.step, reward: reward, validation: record.validation))
            status.reward = reward
            if let validation = record.validation { status.validationMean = validation }
            if let points = record.dataPoints { status.dataPoints = points }
            if let seconds = record.seconds {
                status.seconds = seconds
                recent[index] = (recent[index] + [(record.step, seconds)]).suffix(20)
                if let first = recent[index].first, seconds > first.seconds {
                    status.stepsPerMinute = Double(record.step - first.step) / (seconds - first.seconds) * 60
                }
            }
            if record.converged { status.state = .converged }
            objectives[index] = status
            updated[index] = now
        }
    }

    /// The statuses with states filled in: the driver's where it has one, else from how fresh the records are.
    public func statuses(driverStates: [String: TrainingState], at now: Date = Date()) -> [ObjectiveStatus] {
        objectives.enumerated().map { index, status in
            var status = status
            if let state = driverStates[status.name] {
                status.state = state
            } else if status.state != .converged {
                let live = updated[index].map { now.timeIntervalSince($0) < TrainingCurves.liveSeconds } ?? false
                status.state = live ? .running : .idle
            }
            return status
        }
    }
}
