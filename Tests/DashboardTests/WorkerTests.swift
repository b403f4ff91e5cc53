import Ensemble
import Foundation
import LanguageModel
import Objectives
import Synchronization
import Testing
@testable import Dashboard

/// An engine that spells the statement and the blend word by word, slowly, and counts what it was asked.
/// Its summary lists the adapter folders it "loaded"; a folder named `broken` fails to load.
final class FakeEngine: ReflectionEngine {
    let delay: TimeInterval
    let adapters: [String]
    let calls = Mutex<[String]>([])

    init(delay: TimeInterval = 0.005, adapters: [String] = []) {
        self.delay = delay
        self.adapters = adapters
    }

    var summary: String { adapters.isEmpty ? "fake" : "fake with \(adapters.joined(separator: ", "))" }

    func replacingAdapter(_ index: Int, from folder: URL) throws -> any ReflectionEngine {
        struct Unreadable: Error {}
        guard folder.lastPathComponent != "broken" else { throw Unreadable() }
        return FakeEngine(delay: delay, adapters: adapters + ["\(index):\(folder.lastPathComponent)"])
    }

    func onOwnThreads(_ threads: Int) throws -> any ReflectionEngine { self }

    func reflect(_ statement: String, blend: Blend, sampling: SamplingParameters, seed: UInt64, maxNewTokens: Int,
                 cancelled: () -> Bool, onText: (String) -> Void) throws -> Generation {
        calls.withLock { $0.append(statement) }
        if case .ensemble(let weights, _) = blend { try EnsembleError.validate(weights: weights, adapterCount: weights.count) }
        let words = "you said \(statement) with \(blend)".split(separator: " ").prefix(maxNewTokens)
        var tokens: [Int] = []
        for (index, word) in words.enumerated() {
            Thread.sleep(forTimeInterval: delay)
            tokens.append(index)
            onText((index == 0 ? "" : " ") + word)
            if cancelled() { return Generation(tokens: tokens, stopReason: .cancelled, prefillSeconds: 0, decodeSeconds: 0) }
        }
        return Generation(tokens: tokens, stopReason: .maxTokens, prefillSeconds: 0, decodeSeconds: 0)
    }
}

/// Waits up to two seconds for `mailbox` to hold a value satisfying `done`; the last value seen.
func wait<Value>(_ mailbox: Mailbox<Value>, until done: (Value) -> Bool) -> Value? {
    var last: Value?
    for _ in 0..<400 {
        if let value = mailbox.take() {
            last = value
            if done(value) { return value }
        }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return last
}

@Suite struct WorkerTests {
    func request(_ id: Int, _ statement: String, weights: [Double] = [1, 1], compare: Bool = false) -> GenerationRequest {
        GenerationRequest(id: id, statement: statement, weights: weights, mode: .hidden, compare: compare, seed: 0)
    }

    @Test func theLatestRequestWinsAndOlderOnesStop() {
        let engine = FakeEngine(delay: 0.02)
        let worker = GenerationWorker()
        worker.start { _ in engine }
        #expect(wait(worker.status) { $0 == .ready(summary: "fake") } == .ready(summary: "fake"))
        worker.submit(request(0, "first"))
        #expect(wait(worker.progress) { !$0.text.isEmpty }?.id == 0)
        worker.submit(request(1, "second"))
        worker.submit(request(2, "third"))
        let done = wait(worker.progress) { $0.id == 2 && $0.state == .done }
        #expect(done?.text.hasPrefix("you said third") == true)
        #expect(done?.firstTokenSeconds != nil && done?.totalSeconds != nil)
        #expect(engine.calls.withLock { $0 }.contains("second") == false, "a request replaced before it started never runs")
    }

    @Test func finishedReflectionsCarryEachObjectivesScore() {
        struct WordCount: Objective {
            var name: String { "words" }
            func score(prompts: [String], responses: [String]) throws -> [Double] { responses.map { Double($0.split(separator: " ").count) / 100 } }
        }
        struct Broken: Objective {
            struct Failure: Error {}
            var name: String { "broken" }
            func score(prompts: [String], responses: [String]) throws -> [Double] { throw Failure() }
        }
        let worker = GenerationWorker(objectives: { [WordCount(), Broken()] })
        worker.start { _ in FakeEngine() }
        worker.submit(request(0, "hello there"))
        let done = wait(worker.progress) { $0.id == 0 && $0.state == .done }
        let words = Double(done?.text.split(separator: " ").count ?? -1) / 100
        #expect(done?.scores == [words, nil], "a scorer that fails shows no bar, the others do")
        worker.stop(seconds: 2)
    }

    @Test func stopCancelsTheRunningGenerationAndEndsTheThread() {
        let worker = GenerationWorker(maxNewTokens: 1000)
        worker.start { _ in FakeEngine(delay: 0.05) }
        worker.submit(request(0, String(repeating: "word ", count: 200)))
        #expect(wait(worker.progress) { !$0.text.isEmpty } != nil)
        #expect(worker.stop(seconds: 2), "the thread ended within a token")
        #expect(worker.progress.take()?.state != .done, "the generation was cancelled, not finished")
    }

    @Test func badWeightsFailInThePanelNotTheApp() {
        let worker = GenerationWorker()
        worker.start { _ in FakeEngine() }
        worker.submit(request(0, "hello", weights: [0, 0]))
        let failed = wait(worker.progress) { if case .failed = $0.state { true } else { false } }
        #expect(failed?.state == .failed("all weights are zero: at least one adapter needs a positive weight"))
    }

    @Test func compareAddsEachAdapterAndTheBase() {
        let worker = GenerationWorker()
        worker.start { _ in FakeEngine(delay: 0) }
        worker.submit(request(0, "hi", compare: true))
        let done = wait(worker.progress) { $0.state == .done }
        #expect(done?.comparison?.count == 4)
        #expect(done?.comparison?.last?.text.contains("base") == true)
    }

    @Test func newCheckpointsAreLoadedOnceAndABadOneIsReported() {
        let worker = GenerationWorker()
        worker.start { _ in FakeEngine(delay: 0) }
        #expect(wait(worker.status) { $0 == .ready(summary: "fake") } != nil)
        let written = Date()
        let empathy = TrainedAdapter(folder: URL(fileURLWithPath: "/run/empathy"), written: written)
        worker.useAdapters([nil, empathy])
        #expect(wait(worker.status) { $0 == .ready(summary: "fake with 1:empathy") } == .ready(summary: "fake with 1:empathy"))
        worker.useAdapters([TrainedAdapter(folder: URL(fileURLWithPath: "/run/broken"), written: written), empathy])
        #expect(wait(worker.errors) { _ in true }?.hasPrefix("cannot load the adapter in /run/broken") == true)
        #expect(wait(worker.status) { _ in true } == .ready(summary: "fake with 1:empathy"), "the same checkpoint is not loaded again")
    }

    @Test func aFailingLoadIsReported() {
        struct Broken: Error, CustomStringConvertible { var description: String { "no such file" } }
        let worker = GenerationWorker()
        worker.start { _ in throw Broken() }
        #expect(wait(worker.status) { if case .failed = $0 { true } else { false } } == .failed("cannot load the model: no such file"))
    }

    @Test func searchRunsToTheEndAndCanBeCancelled() {
        let engine = FakeEngine(delay: 0)
        let search = SearchWorker(engine: { engine }, score: DistinctWordScore(), statements: ["a b", "c"], levels: 2)
        search.start(dimensions: 2, mode: .hidden)
        let done = wait(search.status) { $0.state == .done }
        #expect(done?.evaluations == 18 && done?.level == 2 && done?.bestWeights != nil)
        #expect(done?.scoreName == "stand-in score")
        let slow = FakeEngine(delay: 0.01)
        let cancelled = SearchWorker(engine: { slow }, score: DistinctWordScore(), statements: ["a"], levels: 5)
        cancelled.start(dimensions: 3, mode: .hidden)
        #expect(wait(cancelled.status) { $0.evaluations > 0 } != nil)
        #expect(cancelled.stop(seconds: 2), "stop cancels the search and its thread ends")
        #expect(wait(cancelled.status) { $0.state == .cancelled }?.state == .cancelled)
    }

    @Test func theTrainingFollowerStops() {
        let worker = TrainingWorker(driver: UnavailableTrainer(), names: ["reflection", "empathy"], run: nil, interval: 60)
        worker.start()
        #expect(wait(worker.snapshots) { _ in true } != nil)
        #expect(worker.stop(seconds: 2), "stop cuts the wait between polls short")
    }

    @Test func searchWaitsForTheModel() {
        let search = SearchWorker(engine: { nil }, score: DistinctWordScore(), statements: ["a"])
        search.start(dimensions: 3, mode: .hidden)
        #expect(search.status.take()?.state == .failed("the model is still loading"))
    }

    @Test func theAppLoopDrawsWorkerSnapshotsAndQuits() throws {
        let terminal = ScriptedTerminal(size: Size(width: 120, height: 40))
        let generation = GenerationWorker()
        generation.start { _ in FakeEngine(delay: 0) }
        let workers = DashboardApp.Workers(
            generation: generation, search: SearchWorker(engine: { nil }, score: DistinctWordScore(), statements: []),
            training: TrainingWorker(driver: UnavailableTrainer(), names: ["reflection", "empathy"], run: nil))
        let state = DashboardState(objectives: [ObjectiveStatus(name: "reflection", colorIndex: 0), ObjectiveStatus(name: "empathy", colorIndex: 1)])
        let app = DashboardApp(model: AppModel(state: state, prompts: [.init(id: "1", client: "I am tired")]), workers: workers,
                               themes: ThemeCatalog(dataDirectory: URL(fileURLWithPath: "/nonexistent/data")), terminal: terminal)
        let frames = Mutex<[String]>([])
        let input = terminal.input
        app.onFrame = { model in
            guard model.state.reflection.state == .done else { return }
            frames.withLock { $0.append(model.state.reflection.text) }
            if frames.withLock({ $0.count }) == 1 {
                input.post(.key(.character("t")))
                input.post(.key(.character("q")))
            }
        }
        app.run()
        #expect(generation.stop(seconds: 0), "quitting joined the generation thread")
        #expect(workers.training.stop(seconds: 0), "and the training follower")
        #expect(frames.withLock { $0.first }?.hasPrefix("you said I am tired") == true)
        #expect(terminal.grid.textDump().contains("you said I am tired"))
    }
}
