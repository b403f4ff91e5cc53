import Foundation
import LanguageModel
import Tensors
@testable import Training
import Testing

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-training-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct RewardShapingTests {
    @Test func rewardIsTheClippedLog() {
        #expect(RewardShaping.reward(score: 0.5) == log(0.5))
        #expect(RewardShaping.reward(score: 0) == log(1e-4))
        #expect(RewardShaping.reward(score: 1) == log(0.9999))
        #expect(RewardShaping.reward(score: .nan) == log(1e-4))
    }

    @Test func weightedRewardIsTheWeightedMeanOfLogs() {
        let r = RewardShaping.reward(scores: [0.5, 0.25], weights: [1, 3])
        #expect(abs(r - (log(0.5) + 3 * log(0.25)) / 4) < 1e-12)
    }

    @Test func advantagesSubtractThePromptMean() {
        let a = RewardShaping.advantages(rewards: [1, 2, 3, 10, 10, 10], samplesPerPrompt: 3)
        #expect(a == [-1, 0, 1, 0, 0, 0])
    }
}

@Suite struct ConvergenceMonitorTests {
    @Test func needsAFullWindowThenASmallSpread() {
        var monitor = ConvergenceMonitor(window: 20, threshold: 0.015)
        for i in 0..<19 {
            let converged = monitor.record(0.5 + 0.001 * Double(i % 2))
            #expect(!converged)
        }
        let converged = monitor.record(0.5)
        #expect(converged)
        var noisy = ConvergenceMonitor()
        for i in 0..<40 {
            let converged = noisy.record(i % 2 == 0 ? 0.4 : 0.6)
            #expect(!converged)
        }
    }
}

@Suite struct DynaOptBanditTests {
    @Test func probabilitiesAreADistributionWithExploration() {
        var bandit = DynaOptBandit(objectiveCount: 3)
        var random = SeededRandom(seed: 1)
        for _ in 0..<200 { bandit.update(validationDelta: bandit.arm == 1 ? 0.05 : -0.05, random: &random) }
        let p = bandit.probabilities
        #expect(abs(p.reduce(0, +) - 1) < 1e-9)
        #expect(p.allSatisfy { $0 >= 0.07 / 4 - 1e-12 })
        #expect(p.firstIndex(of: p.max()!) == 1, "the arm that always helps should be favoured: \(p)")
        #expect(abs(bandit.objectiveWeights.reduce(0, +) - 1) < 1e-12)
    }
}

@Suite struct RunDirectoryTests {
    let fingerprint = ModelFingerprint(fileName: "tiny.gguf", name: "tiny", tensorCount: 30, config: .tiny)

    @Test func metricsRoundTripAndIgnoreAPartialLastLine() throws {
        let run = RunDirectory(url: try temporaryFolder())
        let m = StepMetrics(step: 3, reward: -0.7, rewardStd: 0.2, objectiveMeans: ["reflection": 0.5], objectiveStds: ["reflection": 0.1],
                            loss: 0.01, gradNorm: 1.5, kl: 0, entropy: 2.1, meanCompletionLength: 30, learningRate: 1e-4,
                            stepTime: 9.5, phaseSeconds: ["rollout": 4], dataPoints: 48, seconds: 30,
                            validationMean: 0.55, validationObjectiveMeans: ["reflection": 0.55],
                            sampledValidationMean: 0.4, sampledValidationObjectiveMeans: ["reflection": 0.4])
        try run.appendLine(m.jsonLine, to: run.metricsFile)
        let handle = try FileHandle(forWritingTo: run.metricsFile)
        handle.seekToEndOfFile()
        handle.write(Data("{\"step\": 4, \"rew".utf8))
        try handle.close()
        #expect(run.metrics() == [m])
        #expect(m.jsonLine.contains("\"rewards/reflection/mean\":0.5"))
        #expect(m.jsonLine.contains("\"validation_sampled/reflection/mean\":0.4"))
    }

    @Test func truncatesLogsPastACheckpoint() throws {
        let run = RunDirectory(url: try temporaryFolder())
        for step in 1...5 {
            try run.appendLine(#"{"step":\#(step),"reward":0}"#, to: run.metricsFile)
        }
        try run.truncateLogs(after: 3)
        #expect(run.metrics().map(\.step) == [1, 2, 3])
    }

    @Test func refusesAnotherModel() throws {
        let run = RunDirectory(url: try temporaryFolder())
        try run.create(config: TrainerConfig(objectives: ["reflection"], model: .tiny, topBlocks: 2), model: fingerprint)
        #expect(try run.manifest(expecting: fingerprint).config.objectives == ["reflection"])
        var other = fingerprint
        other.fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"
        #expect(throws: TrainingError.self) { try run.manifest(expecting: other) }
        // A model that differs only in its tensors is named apart from the run's.
        var retensored = fingerprint
        retensored.tensorCount = 31
        #expect(throws: TrainingError.otherModel(path: run.url.path, expected: fingerprint.summary, found: retensored.summary)) {
            try run.manifest(expecting: retensored)
        }
        #expect(fingerprint.summary.contains("30 tensors") && retensored.summary.contains("31 tensors"))
    }

    @Test func refusesANonWritableFolder() throws {
        let folder = try temporaryFolder()
        chmod(folder.path, 0o500)
        defer { chmod(folder.path, 0o700) }
        let run = RunDirectory(url: folder.appendingPathComponent("run"))
        if getuid() == 0 {
            // root writes anywhere; a path under a regular file is unwritable for everyone.
            let file = folder.appendingPathComponent("file")
            chmod(folder.path, 0o700)
            try Data().write(to: file)
            #expect(throws: TrainingError.self) {
                try RunDirectory(url: file.appendingPathComponent("run")).create(
                    config: TrainerConfig(objectives: ["reflection"], model: .tiny), model: fingerprint)
            }
        } else {
            #expect(throws: TrainingError.self) { try run.create(config: TrainerConfig(objectives: ["reflection"], model: .tiny), model: fingerprint) }
        }
    }

    @Test func corruptStateIsRefusedAndKept() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("trainer_state.json")
        let state = TrainerState(step: 2, dataPoints: 32, seconds: 4, random: SeededRandom(seed: 3), epoch: 0, cursor: 32,
                                 parameters: FloatBuffer([1, 2]), optimizer: AdamW(parameterCount: 2), convergence: ConvergenceMonitor(), bandit: nil, converged: false)
        try state.save(to: file)
        #expect(try TrainerState.load(from: file) == state)
        let whole = try Data(contentsOf: file)
        try whole.prefix(whole.count / 2).write(to: file)
        #expect(throws: TrainingError.self) { try TrainerState.load(from: file) }
        #expect(try Data(contentsOf: file).count == whole.count / 2, "a corrupt state is reported, never overwritten")
    }

    @Test(arguments: [
        ("promptsPerStep", "prompts_per_step"), ("samplesPerPrompt", "samples_per_prompt"), ("learningRate", "learning_rate"),
    ])
    func invalidConfigNamesTheField(field: String, name: String) {
        var config = TrainerConfig(objectives: ["reflection"], model: .tiny)
        switch field {
        case "promptsPerStep": config.promptsPerStep = 0
        case "samplesPerPrompt": config.samplesPerPrompt = 1
        default: config.learningRate = -1
        }
        #expect(throws: TrainingError.self) { try config.validate() }
        do { try config.validate() } catch { #expect("\(error)".contains(name)) }
    }
}
