import Foundation
import LanguageModel
import Objectives
import Tensors
@testable import Training
import Testing

/// A cheap deterministic stand-in objective: the share of letters among a response's characters.
struct LetterShare: Objective {
    let name = "letters"
    func score(prompts: [String], responses: [String]) throws -> [Double] {
        responses.map { r in r.isEmpty ? 0 : Double(r.filter(\.isLetter).count) / Double(r.count) }
    }
}

/// Scores 0.75 from a rollout trace and 0.25 from texts: shows which path a caller took.
struct TracePreferred: RolloutScoring {
    let name = "letters"
    func score(prompts: [String], responses: [String]) throws -> [Double] { responses.map { _ in 0.25 } }
    func score(_ trace: RolloutTrace) throws -> [Double] { trace.responses.map { _ in 0.75 } }
}

/// The tiny byte-level model, its tokenizer and a trainer over a fresh run directory.
struct TinySetup {
    let model: LlamaModel
    let tokenizer: BPETokenizer
    let fingerprint: ModelFingerprint

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-trainer-\(UUID().uuidString).gguf")
        try TinyLlama.write(to: url, seed: 21)
        let file = try GGUFFile(path: url.path)
        model = try LlamaModel(gguf: file)
        tokenizer = try BPETokenizer(gguf: file)
        fingerprint = ModelFingerprint(gguf: file, config: model.config)
    }

    var config: TrainerConfig {
        var config = TrainerConfig(objectives: ["letters"], model: model.config, topBlocks: 2, seed: 9)
        config.promptsPerStep = 3
        config.samplesPerPrompt = 2
        config.maxNewTokens = 6
        config.validateEvery = 2
        config.validationPrompts = 2
        config.checkpointEvery = 1
        config.learningRate = 1e-2
        return config
    }

    func trainer(_ run: RunDirectory, config: TrainerConfig? = nil, objective: any Objective = LetterShare()) throws -> Trainer {
        try Trainer(config: config ?? self.config, run: run, policy: model, engine: model, tokenizer: tokenizer,
                    counselor: CounselorPrompt(systemPrompt: "Reflect."), objectives: [objective],
                    trainClients: ["I feel lost.", "Work is hard.", "My dog died.", "I can't sleep.", "Money is tight."],
                    validationClients: ["I am tired.", "Nobody listens."], fingerprint: fingerprint)
    }
}

@Suite struct TrainerTests {
    @Test func resumingContinuesExactlyAsAnUninterruptedRun() throws {
        let setup = try TinySetup()
        let whole = RunDirectory(url: try temporaryFolder())
        var events: [String] = []
        try setup.trainer(whole).train(maxSteps: 6) { event in
            switch event {
            case .step(let m): events.append("step \(m.step)")
            case .validation(let step, _, _): events.append("validation \(step)")
            case .checkpoint(let step): events.append("checkpoint \(step)")
            default: break
            }
        }
        #expect(events.filter { $0.hasPrefix("step") }.count == 6)
        #expect(events.contains("validation 2") && events.contains("checkpoint 6"))

        let parts = RunDirectory(url: try temporaryFolder())
        try setup.trainer(parts).train(maxSteps: 4)
        try parts.appendLine(#"{"step":5,"reward":-1}"#, to: parts.metricsFile)     // work done past the checkpoint, then killed
        try setup.trainer(parts).train(maxSteps: 6)

        var a = try TrainerState.load(from: whole.stateFile), b = try TrainerState.load(from: parts.stateFile)
        (a.seconds, b.seconds) = (0, 0)                                   // wall time is the only thing allowed to differ
        #expect(a.step == 6)
        #expect(a.parameters == b.parameters && a.optimizer == b.optimizer && a.random == b.random)
        #expect(a == b, "resumed state differs from the uninterrupted run")
        let strip = { (m: StepMetrics) -> StepMetrics in var m = m; m.stepTime = 0; m.seconds = 0; m.phaseSeconds = [:]; return m }
        #expect(whole.metrics().map(strip) == parts.metrics().map(strip))
        #expect(try PEFTAdapter.load(from: whole.adapterFolder("letters"), model: setup.model.config).parameters == a.parameters.values)
    }

    @Test func learningMovesTheAdapterAndCountsDataPoints() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        try setup.trainer(run).train(maxSteps: 3)
        let state = try TrainerState.load(from: run.stateFile)
        #expect(state.dataPoints == 9)
        #expect(state.optimizer.step == 3)
        let metrics = run.metrics()
        #expect(metrics.count == 3 && metrics.allSatisfy { $0.objectiveMeans["letters"] != nil })
        #expect(metrics.contains { $0.gradNorm > 0 })
        let samples = try String(contentsOf: run.samplesFile, encoding: .utf8).split(separator: "\n")
        #expect(samples.count == 9)
    }

    @Test func validationIsGreedyAndSampledWithoutTouchingTheRun() throws {
        let setup = try TinySetup()
        let validated = RunDirectory(url: try temporaryFolder()), unvalidated = RunDirectory(url: try temporaryFolder())
        try setup.trainer(validated).train(maxSteps: 4)
        var config = setup.config
        config.validateEvery = 100
        try setup.trainer(unvalidated, config: config).train(maxSteps: 4)

        let metrics = validated.metrics()
        #expect(metrics.map { $0.sampledValidationMean != nil } == [false, true, false, true])
        #expect(metrics[1].sampledValidationObjectiveMeans.keys.sorted() == ["letters"])
        var a = try TrainerState.load(from: validated.stateFile), b = try TrainerState.load(from: unvalidated.stateFile)
        (a.seconds, b.seconds, a.convergence, b.convergence) = (0, 0, b.convergence, b.convergence)
        #expect(a == b, "validating changed the training trajectory")

        // The sampled validation draws from a fixed seed: the same adapter gets the same mean.
        let trainer = try setup.trainer(validated)
        let sampled = try trainer.validate(a, sampled: true), again = try trainer.validate(a, sampled: true)
        #expect(sampled.0 == again.0 && sampled.1 == again.1)
        #expect(metrics[3].sampledValidationMean == sampled.0)
    }

    @Test func stepsScoreFromTheRolloutTraceWhereAnObjectiveCan() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        try setup.trainer(run, objective: TracePreferred()).train(maxSteps: 2)
        let metrics = run.metrics()
        #expect(metrics.map { $0.objectiveMeans["letters"] } == [0.75, 0.75], "training steps score the trace")
        #expect(metrics[1].validationObjectiveMeans["letters"] == 0.25 && metrics[1].sampledValidationMean == 0.25,
                "validation scores the texts")
    }

    @Test func stopAndPauseAreHonoured() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        let control = TrainingControl()
        var steps = 0
        try setup.trainer(run).train(maxSteps: 50, control: control) { event in
            if case .step = event { steps += 1; if steps == 2 { control.stop() } }
        }
        #expect(steps == 2)
        #expect(try TrainerState.load(from: run.stateFile).step == 2, "a stop checkpoints the last finished step")
    }

    @Test func refusesAnotherModelsRunAndUnknownObjectives() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        try setup.trainer(run).train(maxSteps: 1)
        var manifest = try run.manifest()
        manifest.model.name = "another model"
        try AtomicFile.writeJSON(manifest, to: run.manifestFile)
        #expect(throws: TrainingError.self) { try setup.trainer(run).train(maxSteps: 2) }
        var config = setup.config
        config.objectives = ["empathy"]
        #expect(throws: TrainingError.self) { _ = try setup.trainer(RunDirectory(url: try temporaryFolder()), config: config) }
    }
}
