import Foundation
@testable import Ensemble
import LanguageModel
import Testing
import Training

/// The comparison table's figures and files, and the suite's reading of a runs folder.
@Suite struct EvaluationTableTests {
    @Test func summariesAreMeanAndSampleStandardDeviation() {
        let (mean, std) = EvaluationTable.summary([0.2, 0.4, 0.6])
        #expect(abs(mean - 0.4) < 1e-12 && abs(std - 0.2) < 1e-12)
        #expect(EvaluationTable.summary([0.7]) == (0.7, 0))
    }

    @Test func distinctTwoCountsUniqueWordBigrams() {
        #expect(EvaluationTable.distinct2(["a b a b", "A B"]) == 2.0 / 4.0)        // ab, ba, ab, ab: {ab, ba}
        #expect(EvaluationTable.distinct2(["one", ""]) == 0)
    }

    @Test func markdownAndCSVHoldEveryFigureAndTheMissingRuns() {
        let run = { (seed: Int, r: Double) in
            EvaluationTable.Run(seed: seed, objectiveMeans: [r, 0.5], distinct2: 0.9, meanLength: 20, dataPoints: 160, trainingSeconds: 30)
        }
        let table = EvaluationTable(objectives: ["reflection", "empathy"], rows: [
            .init(method: "EMORL, \"hidden\"", runs: [run(0, 0.2), run(1, 0.4)]),
            .init(method: "DynaOpt", runs: [], missing: ["seed 0: no adapter"]),
        ])
        #expect(table.markdown.contains("| EMORL, \"hidden\" | 2 | 0.300 ± 0.141 | 0.500 ± 0.000 | 0.400 ± 0.071 | 0.900 ± 0.000 | 20.0 ± 0.0 | 160 ± 0 | 30 ± 0 |"))
        #expect(table.markdown.contains("- DynaOpt: seed 0: no adapter"))
        let lines = table.csv.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("\"EMORL, \"\"hidden\"\"\",2,0.3000,0.1414,0.5000,0.0000,0.4000,0.0707"))
    }

    @Test func theSuiteFindsRunsAndSearchesAndSaysWhatIsMissing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-suite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = LlamaConfig.tiny
        for name in ["alpha", "beta", "weighted"] {
            let run = RunDirectory(url: root.appendingPathComponent("seed0").appendingPathComponent(name))
            try PEFTAdapter.save(LoRAAdapter(config: .paper(blockCount: config.blockCount, topBlocks: 1), model: config), model: config,
                                 to: run.adapterFolder(name), baseModel: "tiny")
            let metrics = StepMetrics(step: 3, reward: 0, rewardStd: 0, objectiveMeans: [:], objectiveStds: [:], loss: 0, gradNorm: 0,
                                      kl: 0, entropy: 0, meanCompletionLength: 0, learningRate: 1e-4, stepTime: 1, phaseSeconds: [:],
                                      dataPoints: 48, seconds: 12.5)
            try run.appendLine(metrics.jsonLine, to: run.metricsFile)
        }
        let search = root.appendingPathComponent("seed0/search-hidden")
        try FileManager.default.createDirectory(at: search, withIntermediateDirectories: true)
        try Data(#"{"weights": [0.25, 0.75], "score": 0.5, "mode": "hidden"}"#.utf8).write(to: search.appendingPathComponent("best.json"))
        let misfiled = root.appendingPathComponent("seed0/search-parameters")
        try FileManager.default.createDirectory(at: misfiled, withIntermediateDirectories: true)
        try Data(#"{"weights": [0.25, 0.75], "score": 0.5, "mode": "hidden"}"#.utf8).write(to: misfiled.appendingPathComponent("best.json"))

        let methods = EvaluationSuite(root: root, objectives: ["alpha", "beta"], seeds: [0, 1]).methods()
        #expect(methods.map(\.name) == ["untuned base", "alpha only", "beta only", "uniform weighted", "DynaOpt",
                                        "Model Soups (parameters, searched)", "logits (searched)", "EMORL (hidden, searched)"])
        let byName = Dictionary(uniqueKeysWithValues: methods.map { ($0.name, $0) })
        #expect(byName["alpha only"]!.entries.count == 1 && byName["alpha only"]!.missing.count == 1)
        #expect(byName["DynaOpt"]!.entries.isEmpty)
        let emorl = byName["EMORL (hidden, searched)"]!.entries
        #expect(emorl.count == 1 && emorl[0].weights == [0.25, 0.75] && emorl[0].dataPoints == 96 && emorl[0].trainingSeconds == 25)
        #expect(byName["logits (searched)"]!.missing[0].contains("search-logits/best.json"))
        #expect(byName["Model Soups (parameters, searched)"]!.missing[0].contains("searched in hidden mode"))
    }
}
