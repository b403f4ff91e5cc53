import ArgumentParser
import Corpus
import Foundation
import LanguageModel
import Objectives
import Training

/// `emorl bench train`: median seconds of a default-config RL step, split into its phases.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Median seconds of a default-config RL step (16 prompts × 3 samples, ≤ 64 tokens), split into rollout, scoring, backward and update."
    )

    @Option(name: .customLong("objective"), help: "The objective scored in each step.")
    var objective = "reflection"

    @Option(name: .long, help: "Measured steps (after one warm-up step).")
    var steps: Int = 3

    @Option(name: .customLong("top-blocks"), help: "Adapt the top K blocks.")
    var topBlocks: Int = 4

    @Flag(name: .customLong("all-blocks"), help: "Adapt every block (as the reference code does).")
    var allBlocks = false

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be 1 or more, got \(steps)") }
    }

    func run() throws {
        let loaded = try modelOptions.loadForTraining()
        var config = TrainerConfig(objectives: [objective], model: loaded.policy.config,
                                   topBlocks: allBlocks ? loaded.policy.config.blockCount : topBlocks)
        config.validateEvery = Int.max / 2                  // no validation inside the measured steps
        config.checkpointEvery = Int.max / 2
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-bench-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = DataDirectory.locate()
        let trainer = try Trainer(
            config: config, run: RunDirectory(url: folder), policy: loaded.policy, engine: loaded.engine, tokenizer: loaded.tokenizer,
            counselor: try CounselorPrompt(contentsOf: data.appendingPathComponent("counselor-system-prompt.txt")),
            objectives: try ObjectiveRegistry(data: data, model: URL(fileURLWithPath: try modelOptions.modelPath())).objectives(named: [objective]),
            trainClients: try PromptSet.load(.train, from: data).records.map(\.client),
            validationClients: try PromptSet.load(.validation, from: data).records.map(\.client),
            fingerprint: loaded.fingerprint)
        var measured: [StepMetrics] = []
        try trainer.train(maxSteps: steps + 1) { event in
            if case .step(let m) = event {
                print(ProgressLine.step(m))
                if m.step > 1 { measured.append(m) }
            }
        }
        let blocks = "\(config.lora.blocks.count) of \(loaded.policy.config.blockCount) blocks adapted"
        print("emorl bench train: \(steps) steps after a warm-up, \(blocks), objective \(objective), \(modelOptions.threads) threads, medians")
        print(String(format: "step      %6.2f s", median(measured.map(\.stepTime))))
        for phase in ["rollout", "scoring", "backward", "update"] {
            print(String(format: "%-9@ %6.2f s", phase, median(measured.map { $0.phaseSeconds[phase] ?? 0 })))
        }
    }
}
