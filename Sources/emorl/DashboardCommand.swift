import ArgumentParser
import Dashboard
import Foundation
import LanguageModel
import Objectives

/// `emorl dashboard` (and plain `emorl`): the ncurses workbench.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard: training curves, weight sliders, live reflections, grid search."
    )

    @Option(name: .customLong("run"), help: "The run directory to follow and train into (DIR/<objective>/ per objective); created when missing.")
    var runDirectory: String = "runs/dashboard"

    @Option(name: .long, help: "A theme from themes/ (default, light, high-contrast, gruvbox, …) or a .theme file.")
    var theme: String?

    @Option(name: .long, help: "A llama-architecture GGUF file (default: the SmolLM2-135M-Instruct asset).")
    var model: String?

    @Option(name: .long, help: "The objectives, 2 to 5, comma-separated.")
    var objectives: String = "reflection,empathy,fluency"

    @Option(name: .customLong("max-tokens"), help: "The longest reflection, in tokens.")
    var maxTokens: Int = 64

    @Flag(name: .customLong("train-small"), help: "Train with tiny steps (2 prompts × 2 samples × 8 tokens): a curve point within seconds, for checks.")
    var trainSmall = false

    var objectiveNames: [String] { objectives.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard (2...5).contains(objectiveNames.count), !objectiveNames.contains(where: \.isEmpty) else {
            throw ValidationError("--objectives needs 2 to 5 comma-separated names, got \"\(objectives)\"")
        }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be 1 or more, got \(maxTokens)") }
    }

    func run() throws {
        let modelPath = model ?? AssetCache().defaultModel.path
        let registry = ObjectiveRegistry(model: URL(fileURLWithPath: modelPath))
        DashboardSession.run(DashboardOptions(
            modelPath: modelPath, runDirectory: URL(fileURLWithPath: runDirectory),
            theme: theme, objectives: objectiveNames, maxNewTokens: maxTokens,
            makeObjective: { name, _ in try registry.objective(named: name) },
            scoringObjectives: { [names = objectiveNames] in try registry.objectives(named: names) },
            trainingScale: trainSmall ? .small : .paper))
    }
}

/// `emorl bench dashboard`: input-to-screen latencies of the live dashboard, medians.
struct BenchDashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Weight change (per aggregation mode) and new statement → first token on screen, key press → screen, idle and under a trainer-like load; medians."
    )

    @Option(name: .long, help: "A llama-architecture GGUF file (default: the SmolLM2-135M-Instruct asset).")
    var model: String?

    @Option(name: .long, help: "Measured repetitions of each figure (the median is reported).")
    var runs: Int = 11

    @Option(name: .customLong("load-threads"), help: "Threads of trainer-like matrix products during the figures under load.")
    var loadThreads: Int = 2

    @Flag(name: .customLong("untrained"), help: "No adapters (every blend is the base model, one stream) instead of a random adapter per objective.")
    var untrained = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be 1 or more, got \(runs)") }
        guard loadThreads >= 0 else { throw ValidationError("--load-threads must be 0 or more, got \(loadThreads)") }
    }

    func run() throws {
        let options = DashboardOptions(modelPath: model ?? AssetCache().defaultModel.path)
        let loadBefore = loadAverage()
        let figures = try DashboardBench(options: options, runs: runs, loadThreads: loadThreads, randomAdapters: !untrained).run { print("… " + $0) }
        print("emorl bench dashboard (120×40, frames drawn into memory; the terminal's own write is not included)")
        print((untrained ? "no adapters (base model)" : "\(options.objectives.count) random adapters")
              + ", \(CoreShare.generationThreads) generation threads, "
              + "load average \(loadBefore) before, \(loadAverage()) after")
        let width = figures.map(\.name.count).max() ?? 0
        for figure in figures {
            let samples = figure.samples
            print(String(format: "%@  median %7.1f ms  (min %.1f, max %.1f, %d runs)", figure.name.padding(toLength: width, withPad: " ", startingAt: 0),
                         median(samples), samples.min() ?? 0, samples.max() ?? 0, samples.count))
        }
    }
}
