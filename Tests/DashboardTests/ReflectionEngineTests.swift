import Corpus
import Ensemble
import Foundation
import LanguageModel
import Testing
@testable import Dashboard

/// The dashboard's engine on the real quantized model with three random adapters: what it reuses from its
/// prompt caches gives exactly the text a fresh engine gives.
@Suite struct ReflectionEngineTests {
    let statements = ["I keep saying yes to everyone at work.", "My sister never calls me back and I feel forgotten."]

    /// The engine with a random adapter per objective (the bench's), as after training.
    func trainedEngine() throws -> any ReflectionEngine {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-engine-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: run) }
        let names = ["reflection", "empathy", "fluency"]
        let model = AssetCache().defaultModel.path
        try DashboardBench.writeRandomAdapters(DashboardRun(url: run), objectives: names, modelPath: model)
        var engine: any ReflectionEngine = try LlamaReflectionEngine.load(modelPath: model, objectives: names,
                                                                          dataDirectory: DataDirectory.locate(), threads: 2) { _ in }
        for index in names.indices { engine = try engine.replacingAdapter(index, from: DashboardRun(url: run).adapterFolder(names[index])) }
        #expect(engine.summary == "3 of 3 adapters trained")
        return engine
    }

    /// The dashboard starts on the weights of `data/adapters/search/best.json` when that search weighed exactly its
    /// objectives in hidden mode; another set of objectives keeps the default; a broken file is a clear error.
    @Test func shippedSearchWeightsAreTheStartingWeights() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-data-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let names = ["reflection", "empathy", "fluency"]
        #expect(try DashboardSession.shippedWeights(data: data, objectives: names) == nil)
        let best = DashboardSession.shippedSearch(data: data)
        try FileManager.default.createDirectory(at: best.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"weights": [0.9375, 0.375, 0.5], "score": 0.53, "mode": "hidden", "adapters": ["reflection", "empathy", "fluency"]}"#.utf8)
            .write(to: best)
        #expect(try DashboardSession.shippedWeights(data: data, objectives: names) == [0.9375, 0.375, 0.5])
        #expect(try DashboardSession.shippedWeights(data: data, objectives: ["reflection", "empathy"]) == nil)
        #expect(try DashboardSession.shippedWeights(data: data, objectives: ["empathy", "reflection", "fluency"]) == nil)
        try Data(#"{"weights": [0.9375, -1, 0.5], "score": 0.53, "mode": "hidden"}"#.utf8).write(to: best)
        #expect(throws: EnsembleError.self) { try DashboardSession.shippedWeights(data: data, objectives: names) }
    }

    /// `data/adapters/<objective>/` is loaded for the objectives that have one; the others stay untrained.
    @Test func shippedAdaptersAreLoaded() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-data-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt"),
                                         to: data.appendingPathComponent("counselor-system-prompt.txt"))
        let model = AssetCache().defaultModel.path
        let shipped = DashboardRun(url: data.appendingPathComponent("run"))
        try DashboardBench.writeRandomAdapters(shipped, objectives: ["empathy"], modelPath: model)
        try FileManager.default.createDirectory(at: data.appendingPathComponent("adapters"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: shipped.adapterFolder("empathy"), to: data.appendingPathComponent("adapters/empathy"))
        let engine = try LlamaReflectionEngine.load(modelPath: model, objectives: ["reflection", "empathy", "fluency"],
                                                    dataDirectory: data, threads: 1) { _ in }
        #expect(engine.summary == "1 of 3 adapters trained")
    }

    func text(_ engine: any ReflectionEngine, _ statement: String, _ blend: Blend, cancelAfter pieces: Int = .max) throws -> String {
        var text = "", seen = 0
        _ = try engine.reflect(statement, blend: blend, sampling: .greedy, seed: 0, maxNewTokens: 4, cancelled: { seen >= pieces }) {
            text += $0
            seen += 1
        }
        return text
    }

    @Test(arguments: AggregationMode.allCases)
    func cachedPromptsGiveTheFreshText(mode: AggregationMode) throws {
        let engine = try trainedEngine()
        let steps: [(String, [Double])] = [(statements[0], [1, 0.5, 0.2]), (statements[0], [0.3, 0.9, 0.1]), (statements[1], [0.3, 0.9, 0.1])]
        _ = try text(engine, statements[1], .ensemble(weights: [1, 1, 1], mode: mode), cancelAfter: 1)   // leaves a cancelled generation behind
        for (statement, weights) in steps {
            let cached = try text(engine, statement, .ensemble(weights: weights, mode: mode))
            let fresh = try text(try engine.onOwnThreads(1), statement, .ensemble(weights: weights, mode: mode))
            #expect(!cached.isEmpty && cached == fresh, "\(statement) with \(weights)")
        }
    }
}
