import ArgumentParser
import Corpus
import Foundation
import LanguageModel
import Objectives
import Tensors
import Training

/// `emorl bench train`: median seconds of a default-config RL step, split into its phases, with adapters on the
/// top K blocks and on every block.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Median seconds of a default-config RL step (16 prompts × 3 samples, ≤ 64 tokens), split into rollout, scoring, backward and update; adapters on the top K blocks, then on every block."
    )

    @Option(name: .customLong("objective"), help: "The objective scored in each step.")
    var objective = "reflection"

    @Option(name: .long, help: "Measured steps per configuration (after one warm-up step).")
    var steps: Int = 3

    @Option(name: .customLong("top-blocks"), help: "Adapt the top K blocks in the first configuration.")
    var topBlocks: Int = 4

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be 1 or more, got \(steps)") }
        guard topBlocks >= 1 else { throw ValidationError("--top-blocks must be 1 or more, got \(topBlocks)") }
    }

    func run() throws {
        let loaded = try modelOptions.loadForTraining()
        let data = DataDirectory.locate()
        let counselor = try CounselorPrompt(contentsOf: data.appendingPathComponent("counselor-system-prompt.txt"))
        let objectives = try ObjectiveRegistry(data: data, model: URL(fileURLWithPath: try modelOptions.modelPath())).objectives(named: [objective])
        let trainClients = try PromptSet.load(.train, from: data).records.map(\.client)
        let validationClients = try PromptSet.load(.validation, from: data).records.map(\.client)
        let blockCount = loaded.policy.config.blockCount
        printProgress("emorl bench train: objective \(objective), \(modelOptions.threads) threads, OpenBLAS \(BLAS.coreName), load average \(loadAverage())")

        var table: [(String, [StepMetrics])] = []
        for adapted in [min(topBlocks, blockCount), blockCount] {
            var config = TrainerConfig(objectives: [objective], model: loaded.policy.config, topBlocks: adapted)
            config.validateEvery = Int.max / 2                  // no validation inside the measured steps
            config.checkpointEvery = Int.max / 2
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-bench-train-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let trainer = try Trainer(
                config: config, run: RunDirectory(url: folder), policy: loaded.policy, engine: loaded.engine, tokenizer: loaded.tokenizer,
                counselor: counselor, objectives: objectives, trainClients: trainClients, validationClients: validationClients,
                fingerprint: loaded.fingerprint)
            var measured: [StepMetrics] = []
            try trainer.train(maxSteps: steps + 1) { event in
                if case .step(let m) = event {
                    printProgress("\(adapted == blockCount ? "all" : "top \(adapted)") blocks  \(ProgressLine.step(m))")
                    if m.step > 1 { measured.append(m) }
                }
            }
            table.append(("\(adapted) of \(blockCount) blocks", measured))
        }

        printProgress("\nmedians (min–max) over \(steps) steps after a warm-up; load average now \(loadAverage())")
        printProgress("adapters            " + ["step", "rollout", "scoring", "backward", "update"].map { $0.padding(toLength: 21, withPad: " ", startingAt: 0) }.joined())
        for (name, measured) in table {
            let columns = [measured.map(\.stepTime)] + ["rollout", "scoring", "backward", "update"].map { phase in
                measured.map { $0.phaseSeconds[phase] ?? 0 }
            }
            printProgress(name.padding(toLength: 20, withPad: " ", startingAt: 0) + columns.map { values in
                String(format: "%6.2f (%5.1f–%5.1f)", median(values), values.min()!, values.max()!)
                    .padding(toLength: 21, withPad: " ", startingAt: 0)
            }.joined())
        }
    }

    /// The 1-, 5- and 15-minute load averages (other processes share the cores the figures are taken on).
    func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
