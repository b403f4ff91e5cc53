import ArgumentParser
import Dashboard
import Foundation
import LanguageModel

/// `emorl dashboard` (and plain `emorl`): the ncurses workbench.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard: training curves, weight sliders, live reflections, grid search."
    )

    @Option(name: .customLong("run"), help: "A run directory to follow (and train into); created when missing.")
    var runDirectory: String?

    @Option(name: .long, help: "A theme from themes/ (default, light, high-contrast, gruvbox, …) or a .theme file.")
    var theme: String?

    @Option(name: .long, help: "A llama-architecture GGUF file (default: the SmolLM2-135M-Instruct asset).")
    var model: String?

    @Option(name: .long, help: "The objectives, 2 to 5, comma-separated.")
    var objectives: String = "reflection,empathy,fluency"

    @Option(name: .customLong("max-tokens"), help: "The longest reflection, in tokens.")
    var maxTokens: Int = 64

    var objectiveNames: [String] { objectives.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard (2...5).contains(objectiveNames.count), !objectiveNames.contains(where: \.isEmpty) else {
            throw ValidationError("--objectives needs 2 to 5 comma-separated names, got \"\(objectives)\"")
        }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be 1 or more, got \(maxTokens)") }
    }

    func run() throws {
        DashboardSession.run(DashboardOptions(
            modelPath: model ?? AssetCache().defaultModel.path, runDirectory: runDirectory.map { URL(fileURLWithPath: $0) },
            theme: theme, objectives: objectiveNames, maxNewTokens: maxTokens))
    }
}
