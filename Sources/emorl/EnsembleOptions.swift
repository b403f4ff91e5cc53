import ArgumentParser
import Corpus
import Ensemble
import Foundation
import LanguageModel
import Objectives
import Training

/// Which adapters make the ensemble: PEFT folders, by default the shipped ones for the objectives.
struct EnsembleOptions: ParsableArguments {
    @Option(name: .long, parsing: .upToNextOption,
            help: "PEFT adapter folders, one per model of the ensemble (default: data/adapters/<objective> for each objective).")
    var adapters: [String] = []

    @Option(name: .long, help: "How the models are combined: hidden (EMORL), logits or parameters (model soup).")
    var mode: AggregationMode = .hidden

    /// The adapter folders: the given ones, or the shipped adapter of each of `objectives`.
    func adapterFolders(objectives: [String]) throws -> [URL] {
        if !adapters.isEmpty { return adapters.map { URL(fileURLWithPath: $0) } }
        let shipped = DataDirectory.locate().appendingPathComponent("adapters")
        return try objectives.map { name in
            let folder = shipped.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(PEFTAdapter.configFile).path) else {
                throw ValidationError("no shipped adapter for \(name) at \(folder.path): train one (emorl train --objective \(name)) and pass its folder with --adapters")
            }
            return folder
        }
    }

    /// The adapters of `folders` for `model`.
    func load(_ folders: [URL], model: LlamaConfig) throws -> [LoRAAdapter] {
        try folders.map { try PEFTAdapter.load(from: $0, model: model) }
    }
}

/// How responses are generated and scored in the search and the evaluation.
struct ResponseScoringOptions: ParsableArguments {
    @Option(name: .long, help: "The objectives that score the responses (comma-separated), in the order of the adapters.")
    var objectives: String = ObjectiveRegistry.builtIn.joined(separator: ",")

    @Option(name: .customLong("max-tokens"), help: "Most new tokens per response (greedy, one per prompt).")
    var maxTokens: Int = 48

    var objectiveNames: [String] { objectives.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard !objectiveNames.isEmpty, objectiveNames.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--objectives must name at least one objective, e.g. reflection,empathy,fluency")
        }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be 1 or more, got \(maxTokens)") }
    }
}

extension AggregationMode: ExpressibleByArgument {}

/// Parses "0.2,0.5,1" into weights.
func parseWeights(_ text: String, flag: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let weights = parts.compactMap(Double.init)
    guard !parts.isEmpty, weights.count == parts.count else {
        throw ValidationError("\(flag) must be comma-separated numbers such as 0.2,0.5,1, got \(text)")
    }
    return weights
}

/// Prints `line` and flushes, so progress shows as it happens also when stdout is a file or a pipe.
func printProgress(_ line: String) {
    print(line)
    fflush(nil)
}
