import Foundation

/// The card shipped beside a trained adapter (`card.md`): its config, how much training it took, how its
/// validation mean moved, and the command that reproduces it — all read from the run directory.
public struct AdapterCard: Sendable {
    public let name: String
    public let manifest: RunDirectory.Manifest
    /// The run's steps up to its checkpoint (the adapter on disk), in order.
    public let metrics: [StepMetrics]

    /// The card of `run`'s checkpointed adapter; fails when the run has no manifest or no checkpoint.
    public init(run: RunDirectory) throws {
        manifest = try run.manifest()
        let config = manifest.config
        name = config.rewardMode == .single ? config.objectives[0] : config.rewardMode.rawValue
        guard FileManager.default.fileExists(atPath: run.stateFile.path) else {
            throw TrainingError.runDirectory(path: run.url.path, reason: "no checkpoint (trainer_state.json): nothing to ship")
        }
        let checkpoint = try TrainerState.load(from: run.stateFile).step
        metrics = run.metrics().filter { $0.step <= checkpoint }
        guard !metrics.isEmpty else {
            throw TrainingError.runDirectory(path: run.metricsFile.path, reason: "no finished step: nothing to ship")
        }
    }

    /// (step, greedy validation mean) at every validation of the run.
    public var validationCurve: [(step: Int, mean: Double)] {
        metrics.compactMap { m in m.validationMean.map { (m.step, $0) } }
    }

    /// (step, sampled validation mean) at every validation that had one (runs before it existed have none).
    public var sampledValidationCurve: [(step: Int, mean: Double)] {
        metrics.compactMap { m in m.sampledValidationMean.map { (m.step, $0) } }
    }

    /// The `emorl train` command that reproduces this adapter.
    public var command: String {
        let config = manifest.config
        var words = ["emorl train"] + config.objectives.map { "--objective \($0)" }
        if config.rewardMode != .single { words.append("--reward \(config.rewardMode.rawValue)") }
        let adapted = config.lora.blocks.count
        if adapted == manifest.model.config.blockCount { words.append("--all-blocks") } else if adapted != 4 { words.append("--top-blocks \(adapted)") }
        if config.klCoefficient > 0 { words.append("--kl \(config.klCoefficient)") }
        words += ["--seed \(config.seed)", "--steps \(metrics.last!.step)", "--run runs/seed\(config.seed)/\(name)"]
        return words.joined(separator: " ")
    }

    /// The card as Markdown.
    public var markdown: String {
        let config = manifest.config, last = metrics.last!
        let curve = validationCurve, sampledCurve = sampledValidationCurve
        func means(_ part: ArraySlice<(step: Int, mean: Double)>) -> String {
            part.map { "\(String(format: "%.3f", $0.mean)) (step \($0.step))" }.joined(separator: ", ")
        }
        func every(_ curve: [(step: Int, mean: Double)]) -> String {
            curve.map { "\($0.step): \(String(format: "%.3f", $0.mean))" }.joined(separator: ", ")
        }
        let lora = config.lora
        var lines = [
            "# \(name) adapter",
            "",
            "LoRA adapter for \(manifest.model.summary), trained by emorl with self-critical REINFORCE "
                + "(reward: \(config.rewardMode == .single ? "ln of the \(name) score" : "\(config.rewardMode.rawValue) over \(config.objectives.joined(separator: ", "))")).",
            "PEFT layout: `adapter_config.json`, `adapter_model.safetensors`.",
            "",
            "| | |",
            "|---|---|",
            "| LoRA | rank \(lora.rank), alpha \(Int(lora.alpha)), dropout \(lora.dropout), blocks \(lora.blocks.first!)…\(lora.blocks.last!), \(lora.projections.map(\.rawValue).joined(separator: ", ")) |",
            "| step | \(config.promptsPerStep) prompts × \(config.samplesPerPrompt) samples, ≤ \(config.maxNewTokens) new tokens, temperature \(config.sampling.temperature), top-k \(config.sampling.topK) |",
            "| optimiser | AdamW lr \(config.learningRate), gradient clip \(config.gradientClip), KL \(config.klCoefficient), seed \(config.seed) |",
            "| steps | \(last.step) |",
            "| data points | \(last.dataPoints) prompts |",
            "| seconds | \(Int(last.seconds.rounded())) (wall time of the steps, validation included) |",
            "| validations | every \(config.validateEvery) steps on the first \(config.validationPrompts) validation prompts, greedy and sampled as in training (fixed seed) |",
            "",
        ]
        if curve.isEmpty {
            lines.append("No validation yet.")
        } else {
            lines += [
                "Validation mean (greedy), first: \(means(curve.prefix(3))); last: \(means(curve.suffix(3))).",
                "",
                "Every validation: \(every(curve)).",
            ]
        }
        if !sampledCurve.isEmpty {
            lines += [
                "",
                "Sampled validation mean, first: \(means(sampledCurve.prefix(3))); last: \(means(sampledCurve.suffix(3))).",
                "",
                "Every sampled validation: \(every(sampledCurve)).",
            ]
        }
        lines += ["", "Reproduce: `\(command)`, then `emorl ship --run runs/seed\(config.seed)/\(name)`.", ""]
        return lines.joined(separator: "\n")
    }
}

extension RunDirectory {
    /// Copies this run's adapter and its card into `destination/<name>/`; the folder is replaced only once the new
    /// one is complete. Returns the folder.
    @discardableResult
    public func ship(to destination: URL) throws -> URL {
        let card = try AdapterCard(run: self)
        let source = adapterFolder(card.name), target = destination.appendingPathComponent(card.name)
        let files = ["adapter_config.json", "adapter_model.safetensors"]
        for file in files where !FileManager.default.fileExists(atPath: source.appendingPathComponent(file).path) {
            throw TrainingError.runDirectory(path: source.path, reason: "no \(file) beside the checkpoint")
        }
        let manager = FileManager.default
        let staging = destination.appendingPathComponent(".\(card.name).partial-\(getpid())")
        let retired = destination.appendingPathComponent(".\(card.name).old-\(getpid())")
        do {
            try manager.createDirectory(at: destination, withIntermediateDirectories: true)
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files { try manager.copyItem(at: source.appendingPathComponent(file), to: staging.appendingPathComponent(file)) }
            try Data(card.markdown.utf8).write(to: staging.appendingPathComponent("card.md"))
            if manager.fileExists(atPath: target.path) { try manager.moveItem(at: target, to: retired) }
            try manager.moveItem(at: staging, to: target)
            try? manager.removeItem(at: retired)
        } catch {
            try? manager.removeItem(at: staging)
            if !manager.fileExists(atPath: target.path) { try? manager.moveItem(at: retired, to: target) }
            throw TrainingError.runDirectory(path: target.path, reason: "cannot ship the adapter (\(error.localizedDescription))")
        }
        return target
    }
}
