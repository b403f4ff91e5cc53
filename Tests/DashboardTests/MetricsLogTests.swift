import Foundation
import Testing
@testable import Dashboard

/// Following a metrics file as a trainer appends to it, and the curves built from it.
@Suite struct MetricsLogTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("emorl-metrics-\(UUID().uuidString).jsonl")
    }

    func append(_ text: String, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func partialLastLinesWaitForTheirNewline() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let log = MetricsLog(url: url)
        #expect(log.poll().records.isEmpty, "no file yet")
        try append("{\"step\": 1, \"reward\": -0.5}\n{\"step\": 2, \"rew", to: url)
        #expect(log.poll().records.map(\.step) == [1])
        try append("ard\": -0.4}\nnot json\n", to: url)
        let second = log.poll().records
        #expect(second.map(\.step) == [2] && second[0].reward == -0.4, "the split line is joined; a bad line is skipped")
        try Data("{\"step\": 1, \"reward\": -0.9}\n".utf8).write(to: url)
        let restarted = log.poll()
        #expect(restarted.restarted && restarted.records.map(\.reward) == [-0.9])
    }

    @Test func recordsReadTheTRLNames() throws {
        let line = #"{"step": 8, "reward": -0.3, "rewards/empathy/mean": 0.7, "data_points": 128, "seconds": 60.5, "validation/mean": 0.66}"#
        let record = try #require(MetricsRecord(line: Substring(line)))
        #expect(record.step == 8 && record.objectiveRewards == ["empathy": 0.7] && record.dataPoints == 128)
        #expect(record.seconds == 60.5 && record.validation == 0.66 && !record.converged)
    }

    @Test func curvesGoToTheNamedObjective() throws {
        var curves = TrainingCurves(names: ["reflection", "empathy"])
        let now = Date()
        for step in 1...4 {
            let line = #"{"step": \#(step), "objective": "empathy", "reward": -\#(step), "data_points": \#(step * 16), "seconds": \#(step * 30)}"#
            curves.add(try #require(MetricsRecord(line: Substring(line))), at: now)
        }
        curves.add(try #require(MetricsRecord(line: #"{"step": 1, "rewards/reflection/mean": 0.4}"#)), at: now)
        let statuses = curves.statuses(driverStates: [:], at: now)
        #expect(statuses[1].curve.map(\.step) == [1, 2, 3, 4] && statuses[1].reward == -4 && statuses[1].dataPoints == 64)
        #expect(statuses[1].stepsPerMinute == 2)
        #expect(statuses[0].curve.map(\.reward) == [0.4])
        #expect(statuses.map(\.state) == [.running, .running])
        let later = curves.statuses(driverStates: ["reflection": .paused], at: now.addingTimeInterval(60))
        #expect(later.map(\.state) == [.paused, .idle], "the driver's state wins; an old run is idle")
    }

    @Test func theWorkerFollowsARunWrittenElsewhere() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let worker = TrainingWorker(driver: UnavailableTrainer(), names: ["reflection", "empathy"], metrics: url, interval: 0.02)
        worker.start()
        try append(#"{"step": 1, "objective": "reflection", "reward": -1.2}"# + "\n", to: url)
        var snapshot: TrainingSnapshot?
        for _ in 0..<200 where snapshot?.objectives[0].curve.isEmpty ?? true {
            if let next = worker.snapshots.take() { snapshot = next }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(snapshot?.objectives[0].curve.map(\.reward) == [-1.2])
        worker.send(.start, objective: 0)
        var error: String?
        for _ in 0..<200 where error == nil {
            error = worker.errors.take()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(error?.contains("not in this build") == true)
    }
}
