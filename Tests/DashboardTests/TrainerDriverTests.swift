import Foundation
import LanguageModel
import Objectives
import Synchronization
import Testing
import Training
@testable import Dashboard

/// A test-only stand-in objective: the share of letters in a response. Its scoring waits while the gate is
/// closed, so a test decides when a step may finish.
final class GatedLetterShare: Objective {
    let name = "letters"
    let open = Atomic<Bool>(true)
    /// Whether a scoring is waiting at the closed gate.
    let waiting = Atomic<Bool>(false)

    func score(prompts: [String], responses: [String]) throws -> [Double] {
        while !open.load(ordering: .relaxed) {
            waiting.store(true, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.005)
        }
        waiting.store(false, ordering: .relaxed)
        return responses.map { r in r.isEmpty ? 0 : Double(r.filter(\.isLetter).count) / Double(r.count) }
    }
}

/// The tiny byte-level model as a training setup, and a driver over a fresh run directory.
struct TinyTraining {
    let setup: TrainingSetup
    let run = DashboardRun(url: FileManager.default.temporaryDirectory.appendingPathComponent("emorl-dashtrain-\(UUID().uuidString)"))
    let objective = GatedLetterShare()

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-dashboard-\(UUID().uuidString).gguf")
        try TinyLlama.write(to: url, seed: 21)
        let file = try GGUFFile(path: url.path)
        let model = try LlamaModel(gguf: file)
        setup = TrainingSetup(policy: model, engine: model, tokenizer: try BPETokenizer(gguf: file),
                              counselor: CounselorPrompt(systemPrompt: "Reflect."),
                              trainClients: ["I feel lost.", "Work is hard.", "My dog died.", "I can't sleep."],
                              validationClients: ["I am tired.", "Nobody listens."],
                              fingerprint: ModelFingerprint(gguf: file, config: model.config))
    }

    /// A small-step driver training up to `maxSteps`; only `letters` can be built.
    func driver(maxSteps: Int = 4) -> TrainerDriver {
        let setup = setup, objective = objective
        return TrainerDriver(run: run, scale: .small, maxSteps: maxSteps, load: { setup }) { name, _ in
            guard name == objective.name else { throw TrainingCommandRefused("no objective \(name) in this test") }
            return objective
        }
    }
}

/// Waits up to 60 seconds for `condition`; whether it came.
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

@Suite struct TrainerDriverTests {
    @Test func startPauseStopCheckpointsThenStartResumes() throws {
        let tiny = try TinyTraining()
        defer { try? FileManager.default.removeItem(at: tiny.run.url) }
        let driver = tiny.driver()
        let sub = tiny.run.run("letters")
        #expect(throws: TrainingCommandRefused.self) { try driver.perform(.pause, objective: "letters") }
        #expect(driver.states().isEmpty && !driver.hasUnsavedProgress())

        // Step 1 is held at its scoring; a pause asked meanwhile takes effect once it is logged.
        tiny.objective.open.store(false, ordering: .relaxed)
        try driver.perform(.start, objective: "letters")
        #expect(driver.states() == ["letters": .running])
        #expect(eventually { tiny.objective.waiting.load(ordering: .relaxed) })
        try driver.perform(.pause, objective: "letters")
        #expect(driver.states() == ["letters": .paused])
        tiny.objective.open.store(true, ordering: .relaxed)
        #expect(eventually { sub.metrics().count == 1 && driver.hasUnsavedProgress() })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(sub.metrics().map(\.step) == [1], "no step while paused")
        #expect(driver.states() == ["letters": .paused] && driver.hasUnsavedProgress(), "step 1 is not checkpointed yet (every 2)")

        // Stop checkpoints step 1 and ends the thread.
        try driver.perform(.stop, objective: "letters")
        #expect(eventually { driver.states() == ["letters": .idle] })
        #expect(!driver.hasUnsavedProgress())
        #expect(try TrainerState.load(from: sub.stateFile).step == 1)
        #expect(TrainedAdapter(folder: tiny.run.adapterFolder("letters")) != nil, "the adapter is on disk")

        // Start again: it continues the checkpoint up to the last step.
        try driver.perform(.start, objective: "letters")
        #expect(eventually { driver.states() == ["letters": .idle] })
        #expect(sub.metrics().map(\.step) == [1, 2, 3, 4])
        #expect(try TrainerState.load(from: sub.stateFile).step == 4 && !driver.hasUnsavedProgress())
    }

    @Test func startOnAPausedObjectiveResumesIt() throws {
        let tiny = try TinyTraining()
        defer { try? FileManager.default.removeItem(at: tiny.run.url) }
        let driver = tiny.driver(maxSteps: 2)
        tiny.objective.open.store(false, ordering: .relaxed)
        try driver.perform(.start, objective: "letters")
        #expect(eventually { tiny.objective.waiting.load(ordering: .relaxed) })
        try driver.perform(.pause, objective: "letters")
        try driver.perform(.start, objective: "letters")
        #expect(driver.states() == ["letters": .running])
        tiny.objective.open.store(true, ordering: .relaxed)
        #expect(eventually { driver.states() == ["letters": .idle] })
        #expect(tiny.run.run("letters").metrics().map(\.step) == [1, 2])
    }

    @Test func aTrainingThatCannotStartFailsWithItsReason() throws {
        let tiny = try TinyTraining()
        defer { try? FileManager.default.removeItem(at: tiny.run.url) }
        let driver = tiny.driver()
        try driver.perform(.start, objective: "empathy")
        #expect(eventually { driver.states()["empathy"] == .failed("no objective empathy in this test") })
        #expect(throws: TrainingCommandRefused.self) { try driver.perform(.stop, objective: "empathy") }
    }

    @Test func theWorkerShowsAFailedTrainingInTheBannerAndItsStateInTheRow() throws {
        let tiny = try TinyTraining()
        defer { try? FileManager.default.removeItem(at: tiny.run.url) }
        let worker = TrainingWorker(driver: tiny.driver(), names: ["letters", "empathy"], run: tiny.run, interval: 0.02)
        worker.start()
        worker.send(.start, objective: 1)
        var error: String?
        #expect(eventually { error = worker.errors.take(); return error != nil })
        #expect(error == "training empathy failed: no objective empathy in this test")
        var snapshot: TrainingSnapshot?
        #expect(eventually { snapshot = worker.snapshots.take() ?? snapshot; return snapshot?.objectives[1].state.label == "failed" })
        #expect(snapshot?.objectives[0].state == .idle && snapshot?.unsaved == false)
    }

    @Test func theGenerationEngineLoadsTheCheckpointedAdapter() throws {
        let tiny = try TinyTraining()
        defer { try? FileManager.default.removeItem(at: tiny.run.url) }
        let driver = tiny.driver(maxSteps: 2)
        try driver.perform(.start, objective: "letters")
        #expect(eventually { driver.states() == ["letters": .idle] })
        let model = tiny.setup.policy
        let untrained = (0..<2).map { _ in LoRAAdapter(config: .paper(blockCount: model.config.blockCount, topBlocks: 4), model: model.config) }
        let engine = LlamaReflectionEngine(model: model, tokenizer: tiny.setup.tokenizer as! BPETokenizer, counselor: tiny.setup.counselor,
                                           adapters: untrained)
        #expect(engine.summary == "no trained adapters: base model")
        let trained = try engine.replacingAdapter(1, from: try #require(TrainedAdapter(folder: tiny.run.adapterFolder("letters"))).folder)
        #expect(trained.summary == "1 of 2 adapters trained")
    }
}
