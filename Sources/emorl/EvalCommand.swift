import ArgumentParser
import Corpus
import Ensemble
import Foundation
import LanguageModel
import Objectives
import Tensors
import Training

/// `emorl eval`: the paper's comparison table on the test prompts, from a folder of trained runs.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate the untuned base, each adapter, the baselines and the ensembles on the test prompts.",
        discussion: """
        Reads RUNS/seed<k>/<objective>/, RUNS/seed<k>/weighted/, RUNS/seed<k>/dynaopt/ (emorl train --run …) and \
        RUNS/seed<k>/search-<mode>/best.json (emorl search --mode <mode> --out …). One greedy response per test prompt; \
        per method, each objective's mean score, their mean, distinct-2, length and training cost as mean ± std over \
        the seeds. Writes OUT/results.md and OUT/results.csv.
        """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .customLong("runs"), help: "The folder of trained runs (layout above).")
    var runsPath: String

    @Option(name: .long, help: "The seeds to evaluate (comma-separated).")
    var seeds: String = "0,1,2"

    @OptionGroup var scoring: ResponseScoringOptions

    @Option(name: .long, help: "Test prompts to answer (default: all).")
    var prompts: Int?

    @Option(name: .customLong("out"), help: "The folder for results.md and results.csv.")
    var outPath: String = "runs/eval"

    var objectiveNames: [String] { scoring.objectiveNames }

    func seedList() throws -> [Int] {
        let parts = seeds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Int.init)
        guard !parts.isEmpty, values.count == parts.count else { throw ValidationError("--seeds must be comma-separated integers such as 0,1,2, got \(seeds)") }
        return values
    }

    func validate() throws {
        _ = try seedList()
        if let prompts, prompts < 1 { throw ValidationError("--prompts must be 1 or more, got \(prompts)") }
    }

    func run() throws {
        let root = URL(fileURLWithPath: runsPath)
        guard FileManager.default.fileExists(atPath: root.path) else { throw ValidationError("--runs: no folder at \(root.path)") }
        let (model, tokenizer) = try modelOptions.load()
        let data = DataDirectory.locate()
        let test = try PromptSet.load(.test, from: data).clients
        let clients = Array(test.prefix(prompts ?? test.count))
        let counselor = try CounselorPrompt(contentsOf: data.appendingPathComponent("counselor-system-prompt.txt"))
        let chats = clients.map { counselor.tokens(client: $0, tokenizer: tokenizer) }
        let scorers = try ObjectiveRegistry(data: data, model: URL(fileURLWithPath: try modelOptions.modelPath())).objectives(named: objectiveNames)
        let base = LoRAAdapter(config: .paper(blockCount: model.config.blockCount, topBlocks: 1), model: model.config)   // all zero: the base

        let suite = EvaluationSuite(root: root, objectives: objectiveNames, seeds: try seedList())
        let start = Date()
        var rows: [EvaluationTable.Row] = []
        for method in suite.methods() {
            var row = EvaluationTable.Row(method: method.name, runs: [], missing: method.missing)
            for entry in method.entries {
                let adapters = entry.adapters.isEmpty ? [base] : try entry.adapters.map { try PEFTAdapter.load(from: $0, model: model.config) }
                let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: chats, maxNewTokens: scoring.maxTokens, stopTokens: [tokenizer.eosID])
                let result = try EnsembleEvaluation(batch: batch, clients: clients, tokenizer: tokenizer, objectives: scorers)
                    .evaluate(weights: entry.weights, mode: entry.mode)
                row.runs.append(EvaluationTable.Run(seed: entry.seed, objectiveMeans: result.objectiveMeans,
                                                    distinct2: EvaluationTable.distinct2(result.responses), meanLength: result.meanLength,
                                                    dataPoints: entry.dataPoints, trainingSeconds: entry.trainingSeconds))
                printProgress(String(format: "%@%@: mean %.3f (%@) in %.1f s", method.name, entry.seed.map { ", seed \($0)" } ?? "",
                             row.runs.last!.mean, result.objectiveMeans.map { String(format: "%.3f", $0) }.joined(separator: ", "), result.seconds))
            }
            rows.append(row)
        }
        let table = EvaluationTable(objectives: objectiveNames, rows: rows)
        let out = URL(fileURLWithPath: outPath)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try AtomicFile.write(Data(table.markdown.utf8), to: out.appendingPathComponent("results.md"))
        try AtomicFile.write(Data(table.csv.utf8), to: out.appendingPathComponent("results.csv"))
        printProgress(table.markdown)
        printProgress(String(format: "%d test prompts, %d new tokens at most, %.0f s in all; written to %@", clients.count, scoring.maxTokens,
                     Date().timeIntervalSince(start), out.path))
    }
}
