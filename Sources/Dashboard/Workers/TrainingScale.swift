import LanguageModel
import Training

/// How big a step the dashboard's trainers take.
public enum TrainingScale: Sendable {
    /// The paper's step, as `emorl train` takes it by default.
    case paper
    /// 2 prompts × 2 samples × 8 new tokens, validation on 2 prompts every 2 steps, a checkpoint every 2 steps:
    /// a curve point within seconds on the real model, for end-to-end checks (`--train-small`).
    case small

    /// A fresh run's config for `objective` on `model`.
    func config(objective: String, model: LlamaConfig) -> TrainerConfig {
        var config = TrainerConfig(objectives: [objective], model: model)
        if self == .small {
            config.promptsPerStep = 2
            config.samplesPerPrompt = 2
            config.maxNewTokens = 8
            config.validateEvery = 2
            config.validationPrompts = 2
            config.checkpointEvery = 2
        }
        return config
    }
}
