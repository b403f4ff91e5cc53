import ArgumentParser
import Corpus
import Ensemble
import Foundation
import LanguageModel
import Objectives
import Tensors

/// `emorl search`: EMORL's hierarchical grid search for the aggregation weights, headless.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find the aggregation weights by hierarchical grid search on the validation prompts.",
        discussion: "Scores each weight vector by the mean over objectives of the mean score of one greedy response per validation prompt (or a --preference-weighted mean). Every evaluation is appended to OUT/search.jsonl."
    )

    @OptionGroup var ensemble: EnsembleOptions
    @OptionGroup var modelOptions: ModelOptions

    @OptionGroup var scoring: ResponseScoringOptions

    @Option(name: .long, help: "Validation prompts to answer per evaluation.")
    var prompts: Int = 32

    @Option(name: .long, help: "Refinement levels of the grid (3 points per axis each).")
    var levels: Int = 5

    @Option(name: .long, help: "Weights over the objectives for the search score (default: the plain mean).")
    var preference: String?

    @Option(name: .customLong("out"), help: "The folder for search.jsonl and best.json.")
    var outPath: String = "runs/search"

    var objectiveNames: [String] { scoring.objectiveNames }

    func validate() throws {
        guard prompts >= 1 else { throw ValidationError("--prompts must be 1 or more, got \(prompts)") }
        guard (1...8).contains(levels) else { throw ValidationError("--levels must be in 1…8, got \(levels)") }
        if let preference { _ = try parseWeights(preference, flag: "--preference") }
    }

    func run() throws {
        let (model, tokenizer) = try modelOptions.load()
        let folders = try ensemble.adapterFolders(objectives: objectiveNames)
        guard (1...8).contains(folders.count) else { throw ValidationError("--adapters: the search takes 1…8 adapters, got \(folders.count)") }
        let adapters = try ensemble.load(folders, model: model.config)
        let data = DataDirectory.locate()
        let clients = Array(try PromptSet.load(.validation, from: data).clients.prefix(prompts))
        let counselor = try CounselorPrompt(contentsOf: data.appendingPathComponent("counselor-system-prompt.txt"))
        let scorers = try ObjectiveRegistry(data: data, model: URL(fileURLWithPath: try modelOptions.modelPath())).objectives(named: objectiveNames)

        let start = Date()
        printProgress("emorl search: \(adapters.count) adapters (\(folders.map(\.lastPathComponent).joined(separator: ", "))), mode \(ensemble.mode.rawValue), \(clients.count) validation prompts, objectives \(objectiveNames.joined(separator: ", "))")
        let batch = try EnsembleBatch(model: model, adapters: adapters, prompts: clients.map { counselor.tokens(client: $0, tokenizer: tokenizer) },
                                      maxNewTokens: scoring.maxTokens, stopTokens: [tokenizer.eosID])
        let evaluation: EnsembleEvaluation
        do {
            evaluation = try EnsembleEvaluation(batch: batch, clients: clients, tokenizer: tokenizer, objectives: scorers,
                                                preference: try preference.map { try parseWeights($0, flag: "--preference") })
        } catch let error as EnsembleError {
            throw ValidationError("--preference: \(error.message)")
        }
        printProgress(String(format: "prompts prefilled through every adapter in %.1f s", Date().timeIntervalSince(start)))

        let out = URL(fileURLWithPath: outPath)
        let log = try SearchLog(folder: out)
        var results: [[Double]: EnsembleEvaluation.Result] = [:]
        let searchStart = Date()
        let search = HierarchicalGridSearch(dimensions: adapters.count, levels: levels)
        let result = try search.run(score: { weights in
            guard weights.contains(where: { $0 > 0 }) else { return 0 }            // all-zero weights mix nothing
            let result = try evaluation.evaluate(weights: weights, mode: ensemble.mode)
            results[weights] = result
            return result.score
        }, onEvaluation: { step in
            let detail = results[step.weights]
            try? log.append(step, result: detail, objectives: objectiveNames)
            let elapsed = Date().timeIntervalSince(searchStart)
            printProgress(String(format: "level %d  point %2d/%d  w=%@  score %.4f  best %.4f at %@  %@%.0f s",
                         step.level, step.index + 1, Int(pow(3.0, Double(adapters.count))), format(step.weights), step.score,
                         step.bestScore, format(step.bestWeights), step.memoised ? "(memo)  " : "", elapsed))
        })
        let seconds = Date().timeIntervalSince(searchStart)
        try log.writeBest(result, mode: ensemble.mode, adapters: folders.map(\.lastPathComponent), seconds: seconds)
        printProgress("best weights \(format(result.bestWeights))  score \(String(format: "%.4f", result.bestScore))")
        printProgress(String(format: "%d evaluations (%d distinct, %d generated; the others proportional to a generated one) in %.1f s: %.3f distinct evaluations/s; log in %@",
                     result.evaluations, result.distinctEvaluations, evaluation.generated, seconds,
                     Double(result.distinctEvaluations) / seconds, out.appendingPathComponent(SearchLog.fileName).path))
        printProgress("responses scored: \(evaluation.scoredPairs) (pairs × objectives), \(evaluation.reusedPairs) met before and reused")
        printProgress("decoded positions: \(batch.computedPositions) through the model, \(batch.replayedPositions) replayed from an earlier response")
    }

    func format(_ weights: [Double]) -> String {
        "(" + weights.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")"
    }
}
