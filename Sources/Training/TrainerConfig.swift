import Foundation
import LanguageModel

/// Everything that defines a training run; saved as `run.json` so a run can be resumed or reproduced.
public struct TrainerConfig: Codable, Sendable, Equatable {
    /// How the objectives' scores become one reward.
    public enum RewardMode: String, Codable, Sendable {
        /// EMORL: one adapter per objective, trained on that objective alone (one objective listed).
        case single
        /// The uniform-weighted baseline: the weighted mean of the objectives' log rewards.
        case weighted
        /// DynaOpt: an Exp3 bandit picks which objective to boost.
        case dynaopt
    }

    public var objectives: [String]
    public var rewardMode: RewardMode
    /// Weights for `weighted` mode (one per objective); ignored otherwise.
    public var objectiveWeights: [Double]
    public var lora: LoRAConfig
    public var promptsPerStep = 16
    public var samplesPerPrompt = 3
    public var maxNewTokens = 64
    public var sampling = SamplingParameters.training
    public var learningRate = 1e-4
    public var gradientClip = 2.0
    /// Per-token KL(π‖π_base) coefficient; 0 turns it off (the paper's setting: its KL term had no effect).
    public var klCoefficient = 0.0
    public var validateEvery = 8
    /// Validation prompts used (the first n of the validation split).
    public var validationPrompts = 32
    public var convergenceWindow = 20
    public var convergenceThreshold = 0.015
    public var checkpointEvery = 8
    public var seed: UInt64 = 0

    /// The paper's configuration for `objectives` with adapters on the top `topBlocks` of `model`'s blocks.
    public init(objectives: [String], rewardMode: RewardMode = .single, model: LlamaConfig, topBlocks: Int = 4, seed: UInt64 = 0) {
        self.objectives = objectives
        self.rewardMode = rewardMode
        self.objectiveWeights = objectives.map { _ in 1.0 }
        self.lora = .paper(blockCount: model.blockCount, topBlocks: topBlocks)
        self.seed = seed
    }

    /// Checks the fields fit together; the message names the field.
    public func validate() throws {
        func fail(_ field: String, _ expected: String) throws -> Never {
            throw TrainingError.invalidConfig(field: field, expected: expected)
        }
        if objectives.isEmpty { try fail("objectives", "at least one objective") }
        if rewardMode == .single && objectives.count != 1 { try fail("objectives", "exactly one objective in single mode") }
        if objectiveWeights.count != objectives.count || objectiveWeights.contains(where: { !$0.isFinite || $0 < 0 })
            || !objectiveWeights.contains(where: { $0 > 0 }) {
            try fail("objective_weights", "one finite, non-negative weight per objective, not all zero")
        }
        if promptsPerStep < 1 { try fail("prompts_per_step", "1 or more") }
        if samplesPerPrompt < 2 { try fail("samples_per_prompt", "2 or more (the baseline is the mean of a prompt's samples)") }
        if maxNewTokens < 1 { try fail("max_new_tokens", "1 or more") }
        if !(learningRate > 0) { try fail("learning_rate", "a positive number") }
        if !(gradientClip > 0) { try fail("gradient_clip", "a positive number") }
        if !(klCoefficient >= 0) { try fail("kl_coefficient", "0 or more") }
        if validateEvery < 1 { try fail("validate_every", "1 or more") }
        if validationPrompts < 1 { try fail("validation_prompts", "1 or more") }
        if checkpointEvery < 1 { try fail("checkpoint_every", "1 or more") }
    }
}

/// Why training cannot start or go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(field: String, expected: String)
    case runDirectory(path: String, reason: String)
    case corruptState(path: String, reason: String)
    case otherModel(path: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .invalidConfig(let field, let expected): "invalid training config: \(field) must be \(expected)"
        case .runDirectory(let path, let reason): "\(path): \(reason)"
        case .corruptState(let path, let reason): "\(path): the trainer state is unusable (\(reason)); it was not changed"
        case .otherModel(let path, let expected, let found):
            "\(path) was trained on model \(expected), not on \(found): pass the same --model, or use another --run directory"
        }
    }
}
