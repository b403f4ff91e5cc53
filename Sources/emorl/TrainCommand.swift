import ArgumentParser
import Corpus
import Foundation
import LanguageModel
import Objectives
import Training

/// `emorl train`: RL fine-tuning of one adapter (per objective, or a baseline over several), headless.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a LoRA adapter with self-critical REINFORCE (the paper's defaults).",
        discussion: "One --objective trains EMORL's single-objective adapter; several with --reward weighted or dynaopt train a baseline."
    )

    @Option(name: .customLong("objective"), help: "An objective (repeat for several): reflection, empathy, fluency, or external:<command>.")
    var objectives: [String] = []

    @Option(name: .long, help: "single (one objective), weighted (mean of log rewards) or dynaopt (Exp3 bandit).")
    var reward: TrainerConfig.RewardMode = .single

    @Option(name: .customLong("run"), help: "The run directory (default: runs/<objective or reward mode>).")
    var runPath: String?

    @Option(name: .long, help: "Train until this many steps are done (counting steps of a resumed run).")
    var steps: Int = 150

    @Flag(name: .long, help: "Continue the run directory's checkpoint.")
    var resume = false

    @Option(name: .customLong("top-blocks"), help: "Adapt the top K blocks (the frozen base below is exact).")
    var topBlocks: Int = 4

    @Flag(name: .customLong("all-blocks"), help: "Adapt every block (as the reference code does).")
    var allBlocks = false

    @Option(name: .customLong("kl"), help: "Per-token KL(π‖π_base) coefficient; 0 is off, the paper's effective setting.")
    var klCoefficient: Double = 0

    @Option(name: .customLong("prompts-per-step")) var promptsPerStep: Int = 16
    @Option(name: .customLong("samples-per-prompt")) var samplesPerPrompt: Int = 3
    @Option(name: .customLong("max-new-tokens")) var maxNewTokens: Int = 64
    @Option(name: .customLong("validate-every")) var validateEvery: Int = 8
    @Option(name: .customLong("validation-prompts")) var validationPrompts: Int = 32
    @Option(name: .customLong("checkpoint-every")) var checkpointEvery: Int = 8
    @Option(name: .long, help: "Seed for the adapter's initialisation, the data order and sampling.") var seed: UInt64 = 0

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard !objectives.isEmpty else { throw ValidationError("give at least one --objective") }
        guard steps >= 1 else { throw ValidationError("--steps must be 1 or more, got \(steps)") }
        guard topBlocks >= 1 else { throw ValidationError("--top-blocks must be 1 or more, got \(topBlocks)") }
    }

    func run() throws {
        let loaded = try modelOptions.loadForTraining()
        var config = TrainerConfig(objectives: objectives, rewardMode: reward, model: loaded.policy.config,
                                   topBlocks: allBlocks ? loaded.policy.config.blockCount : topBlocks, seed: seed)
        config.klCoefficient = klCoefficient
        config.promptsPerStep = promptsPerStep
        config.samplesPerPrompt = samplesPerPrompt
        config.maxNewTokens = maxNewTokens
        config.validateEvery = validateEvery
        config.validationPrompts = validationPrompts
        config.checkpointEvery = checkpointEvery
        do { try config.validate() } catch { throw ValidationError("\(error)") }

        let runDirectory = RunDirectory(url: URL(fileURLWithPath: runPath ?? "runs/\(reward == .single ? objectives[0] : reward.rawValue)"))
        let hasCheckpoint = FileManager.default.fileExists(atPath: runDirectory.stateFile.path)
        if hasCheckpoint && !resume {
            throw ValidationError("\(runDirectory.url.path) already holds a run: pass --resume to continue it, or another --run")
        }
        if resume && !hasCheckpoint {
            throw ValidationError("--resume: \(runDirectory.url.path) has no trainer_state.json to continue")
        }
        if resume { config = try runDirectory.manifest(expecting: loaded.fingerprint).config }

        let data = DataDirectory.locate()
        let trainer = try Trainer(
            config: config, run: runDirectory, policy: loaded.policy, engine: loaded.engine, tokenizer: loaded.tokenizer,
            counselor: try CounselorPrompt(contentsOf: data.appendingPathComponent("counselor-system-prompt.txt")),
            objectives: try ObjectiveRegistry(data: data, model: URL(fileURLWithPath: try modelOptions.modelPath())).objectives(named: config.objectives),
            trainClients: try PromptSet.load(.train, from: data).records.map(\.client),
            validationClients: try PromptSet.load(.validation, from: data).records.map(\.client),
            fingerprint: loaded.fingerprint)
        printProgress("emorl train: \(config.objectives.joined(separator: ", ")) (\(config.rewardMode.rawValue)), adapters on blocks \(config.lora.blocks.first!)…\(config.lora.blocks.last!), run \(runDirectory.url.path)")
        try trainer.train(maxSteps: steps) { event in
            switch event {
            case .step(let m):
                printProgress(ProgressLine.step(m))
                if let validation = ProgressLine.validation(m) { printProgress(validation) }
            case .converged(let step): printProgress("converged at step \(step)")
            case .validation, .checkpoint, .failed: break
            }
        }
    }
}

extension TrainerConfig.RewardMode: ExpressibleByArgument {}

/// The one-line summaries `emorl train` prints.
enum ProgressLine {
    static func step(_ m: StepMetrics) -> String {
        let objectives = m.objectiveMeans.sorted { $0.key < $1.key }.map { String(format: "%@ %.3f", $0.key, $0.value) }
        let phases = ["rollout", "scoring", "backward", "update"].compactMap { p in m.phaseSeconds[p].map { String(format: "%@ %.1f", p, $0) } }
        return String(format: "step %4d  reward %7.3f  %@  len %4.1f  |g| %6.3f  %5.1f s (%@)  %d data points",
                      m.step, m.reward, objectives.joined(separator: "  "), m.meanCompletionLength, m.gradNorm, m.stepTime,
                      phases.joined(separator: ", "), m.dataPoints)
    }

    /// The validation line of a validation step (greedy, then sampled); nil on other steps.
    static func validation(_ m: StepMetrics) -> String? {
        guard let mean = m.validationMean else { return nil }
        func means(_ perObjective: [String: Double]) -> String {
            perObjective.sorted { $0.key < $1.key }.map { String(format: "%@ %.3f", $0.key, $0.value) }.joined(separator: "  ")
        }
        var line = String(format: "validation after step %d: mean %.4f  %@", m.step, mean, means(m.validationObjectiveMeans))
        if let sampled = m.sampledValidationMean {
            line += String(format: "  ·  sampled: mean %.4f  %@", sampled, means(m.sampledValidationObjectiveMeans))
        }
        return line
    }
}
