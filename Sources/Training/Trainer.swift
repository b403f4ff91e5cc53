import Foundation
import LanguageModel
import Objectives
import Tensors

/// EMORL's per-objective RL fine-tuning: k-sample self-critical REINFORCE on a LoRA adapter.
///
/// A step: take the next 16 training prompts; sample 3 responses each from the current adapter; score them;
/// reward = ln(clip(score)); baseline = the mean reward of the prompt's samples; loss = mean over samples of
/// (baseline − reward)·Σ log π(token) (+ β·KL to the frozen base when enabled); AdamW with clipping.
/// The backward starts at the first adapted block from the hidden states the rollout engine computed there (the
/// quantized engine in `emorl train`): the gradient is exact for those frozen-block states, and the frozen base below
/// is not run again. Objectives that run the base model themselves (fluency) start from those states too. Every `validateEvery` steps the validation prompts are answered greedily and scored; the paper's rule
/// decides convergence on those means. The same prompts are also answered once with the training's sampling (a fixed
/// seed) and scored: a greedy mean can sit still while the sampled distribution the reward acts on moves. The trainer knows nothing of any UI: it reports `TrainingEvent`s and reads a
/// `TrainingControl`.
public final class Trainer {
    public let config: TrainerConfig
    public let run: RunDirectory
    /// The f32 model the gradient is taken on.
    let policy: LlamaModel
    /// The engine rollouts and validation sample from (the quantized one, or `policy` itself).
    let rollouts: RolloutSampler
    let tokenizer: any Tokenizer
    let counselor: CounselorPrompt
    let objectives: [any Objective]
    let trainClients: [String]
    let validationClients: [String]
    let fingerprint: ModelFingerprint
    /// The name the adapter is saved under (`adapters/<name>/`).
    public var adapterName: String { config.rewardMode == .single ? config.objectives[0] : config.rewardMode.rawValue }

    public init(config: TrainerConfig, run: RunDirectory, policy: LlamaModel, engine: any LanguageEngine, tokenizer: any Tokenizer,
                counselor: CounselorPrompt, objectives: [any Objective], trainClients: [String], validationClients: [String],
                fingerprint: ModelFingerprint) throws {
        try config.validate()
        guard objectives.map(\.name) == config.objectives else {
            throw TrainingError.invalidConfig(field: "objectives", expected: "the objectives \(config.objectives) in that order")
        }
        guard !trainClients.isEmpty, !validationClients.isEmpty else {
            throw TrainingError.invalidConfig(field: "prompts", expected: "at least one training and one validation prompt")
        }
        self.config = config
        self.run = run
        self.policy = policy
        self.rollouts = RolloutSampler(engine: engine)
        self.tokenizer = tokenizer
        self.counselor = counselor
        self.objectives = objectives
        self.trainClients = trainClients
        self.validationClients = Array(validationClients.prefix(config.validationPrompts))
        self.fingerprint = fingerprint
    }

    // MARK: - Run

    /// Trains until `maxSteps` steps are done, convergence, or a stop request; resumes from the run's checkpoint if it has one.
    public func train(maxSteps: Int, control: TrainingControl = TrainingControl(), onEvent: (TrainingEvent) -> Void = { _ in }) throws {
        var state = try startingState()
        var lastValidation = state.convergence.history.last
        while state.step < maxSteps && !state.converged {
            guard control.waitWhilePaused() else { break }
            var metrics = try step(&state)
            if state.step % config.validateEvery == 0 {
                let (mean, perObjective) = try validate(state, sampled: false)
                metrics.validationMean = mean
                metrics.validationObjectiveMeans = perObjective
                (metrics.sampledValidationMean, metrics.sampledValidationObjectiveMeans) = try validate(state, sampled: true)
                if var bandit = state.bandit {
                    bandit.update(validationDelta: mean - (lastValidation ?? mean), random: &state.random)
                    state.bandit = bandit
                }
                lastValidation = mean
                state.converged = state.convergence.record(mean)
                onEvent(.validation(step: state.step, mean: mean, perObjective: perObjective))
            }
            try run.appendLine(metrics.jsonLine, to: run.metricsFile)
            onEvent(.step(metrics))
            if state.converged || state.step % config.checkpointEvery == 0 || state.step == maxSteps {
                try checkpoint(state)
                onEvent(.checkpoint(step: state.step))
            }
            if state.converged { onEvent(.converged(step: state.step)) }
        }
        if control.isStopped { try checkpoint(state); onEvent(.checkpoint(step: state.step)) }
    }

    /// The checkpoint's state when the run has one (from the same model), else a fresh one (and a new `run.json`).
    func startingState() throws -> TrainerState {
        if FileManager.default.fileExists(atPath: run.stateFile.path) {
            _ = try run.manifest(expecting: fingerprint)
            let state = try TrainerState.load(from: run.stateFile)
            guard state.parameters.values.count == freshAdapter().parameters.count else {
                throw TrainingError.corruptState(path: run.stateFile.path, reason: "its adapter does not have the layout of this run's config")
            }
            try run.truncateLogs(after: state.step)
            return state
        }
        try run.create(config: config, model: fingerprint)
        var random = SeededRandom(seed: config.seed)
        let adapter = LoRAAdapter(config: config.lora, model: policy.config, random: &random)
        var settings = AdamW.Settings()
        settings.learningRate = Float(config.learningRate)
        settings.maxGradientNorm = Float(config.gradientClip)
        return TrainerState(step: 0, dataPoints: 0, seconds: 0, random: random, epoch: 0, cursor: 0,
                            parameters: FloatBuffer(adapter.parameters),
                            optimizer: AdamW(parameterCount: adapter.parameters.count, settings: settings),
                            convergence: ConvergenceMonitor(window: config.convergenceWindow, threshold: config.convergenceThreshold),
                            bandit: config.rewardMode == .dynaopt ? DynaOptBandit(objectiveCount: objectives.count) : nil,
                            converged: false)
    }

    func freshAdapter() -> LoRAAdapter { LoRAAdapter(config: config.lora, model: policy.config) }

    /// The adapter holding `state`'s parameters.
    func adapter(_ state: TrainerState) -> LoRAAdapter {
        var adapter = freshAdapter()
        adapter.parameters = state.parameters.values
        return adapter
    }

    // MARK: - One step

    /// Rollout, scoring, backward and update for the next batch of prompts.
    func step(_ state: inout TrainerState) throws -> StepMetrics {
        let start = Date()
        var phases: [String: Double] = [:]
        func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let t = Date()
            defer { phases[name, default: 0] += Date().timeIntervalSince(t) }
            return try body()
        }
        let k = config.samplesPerPrompt
        var current = adapter(state)
        let clients = nextClients(&state)
        let prompts = clients.map { counselor.tokens(client: $0, tokenizer: tokenizer) }

        let rollout = phase("rollout") {
            rollouts.sample(prompts: prompts, adapter: current, samplesPerPrompt: k, maxNewTokens: config.maxNewTokens,
                            sampling: config.sampling, random: &state.random, stopToken: tokenizer.eosID,
                            keepingInputOf: current.config.firstBlock)
        }
        let responses = rollout.responses
        let texts = responses.map { responseText($0) }
        let sampleClients = clients.flatMap { Array(repeating: $0, count: k) }
        let trace = rollout.entering.isEmpty ? nil
            : RolloutTrace(prompts: prompts, samplesPerPrompt: k, responses: responses.map(withoutStopToken),
                           entering: rollout.entering, block: current.config.firstBlock)
        let scores = try phase("scoring") {                                                                // [J][N]
            try objectives.map { objective in
                if let trace, let objective = objective as? any RolloutScoring { try objective.score(trace) }
                else { try objective.score(prompts: sampleClients, responses: texts) }
            }
        }

        let weights = rewardWeights(state)
        let rewards = texts.indices.map { n in RewardShaping.reward(scores: scores.map { $0[n] }, weights: weights) }
        let advantages = RewardShaping.advantages(rewards: rewards, samplesPerPrompt: k)
        let n = Float(texts.count)
        let batch = responses.indices.map { i in
            let prompt = prompts[i / k], response = responses[i]
            return TrainingSequence(tokens: prompt + response, scoredFrom: prompt.count,
                                    coefficients: Array(repeating: Float(advantages[i]) / n, count: response.count),
                                    klWeights: config.klCoefficient > 0 ? Array(repeating: Float(config.klCoefficient) / n, count: response.count) : nil,
                                    entering: rollout.entering.isEmpty ? nil : rollout.entering[i])
        }
        var gradients = [Float](repeating: 0, count: current.parameters.count)
        let dropoutSeed = state.random.next()
        let loss = phase("backward") {
            policy.trainingLoss(batch, adapter: current, dropoutSeed: dropoutSeed, gradients: &gradients)
        }
        let gradNorm = phase("update") { state.optimizer.update(&current.parameters, gradients: &gradients) }
        state.parameters = FloatBuffer(current.parameters)
        state.step += 1
        state.dataPoints += clients.count
        let stepTime = Date().timeIntervalSince(start)
        state.seconds += stepTime
        try writeSamples(step: state.step, clients: clients, texts: texts, scores: scores)

        let tokenCount = Double(loss.entropies.map(\.count).reduce(0, +))
        return StepMetrics(
            step: state.step, reward: mean(rewards), rewardStd: standardDeviation(rewards),
            objectiveMeans: Dictionary(uniqueKeysWithValues: zip(config.objectives, scores.map(mean))),
            objectiveStds: Dictionary(uniqueKeysWithValues: zip(config.objectives, scores.map(standardDeviation))),
            loss: loss.loss, gradNorm: Double(gradNorm),
            kl: loss.kl.flatMap { $0 }.map(Double.init).reduce(0, +) / max(tokenCount, 1),
            entropy: loss.entropies.flatMap { $0 }.map(Double.init).reduce(0, +) / max(tokenCount, 1),
            meanCompletionLength: mean(responses.map { Double($0.count) }), learningRate: config.learningRate,
            stepTime: stepTime, phaseSeconds: phases, dataPoints: state.dataPoints, seconds: state.seconds)
    }

    /// The next `promptsPerStep` training statements, walking a seeded shuffle of the set epoch by epoch.
    func nextClients(_ state: inout TrainerState) -> [String] {
        (0..<config.promptsPerStep).map { _ in
            if state.cursor == trainClients.count { state.epoch += 1; state.cursor = 0 }
            defer { state.cursor += 1 }
            return trainClients[shuffledOrder(epoch: state.epoch)[state.cursor]]
        }
    }

    /// The order of the training prompts in an epoch (a Fisher–Yates shuffle seeded by the run's seed and the epoch).
    func shuffledOrder(epoch: Int) -> [Int] {
        var random = SeededRandom(seed: config.seed &+ 0x5EED &+ UInt64(epoch) &* 0x9E37_79B9)
        var order = Array(trainClients.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        return order
    }

    /// The objective weights of this step's reward.
    func rewardWeights(_ state: TrainerState) -> [Double] {
        switch config.rewardMode {
        case .single, .weighted: config.objectiveWeights
        case .dynaopt: state.bandit!.objectiveWeights
        }
    }

    /// A response's tokens without its stop token.
    func withoutStopToken(_ tokens: [Int]) -> [Int] {
        tokens.last == tokenizer.eosID ? Array(tokens.dropLast()) : tokens
    }

    /// A response's text, without its stop token.
    func responseText(_ tokens: [Int]) -> String {
        tokenizer.decode(withoutStopToken(tokens))
    }

    // MARK: - Validation and checkpoints

    /// Answers to the validation prompts, scored: (mean over objectives, each objective's mean).
    ///
    /// Greedy, or sampled as in training from a seed that is the same at every validation, so that two sampled
    /// validations differ only by the adapter. Neither draws from the run's random state.
    func validate(_ state: TrainerState, sampled: Bool) throws -> (Double, [String: Double]) {
        var random = SeededRandom(seed: config.seed &+ 0x5A3F_1ED0)
        let prompts = validationClients.map { counselor.tokens(client: $0, tokenizer: tokenizer) }
        let responses = rollouts.sample(prompts: prompts, adapter: adapter(state), samplesPerPrompt: 1, maxNewTokens: config.maxNewTokens,
                                        sampling: sampled ? config.sampling : .greedy, random: &random,
                                        stopToken: tokenizer.eosID).responses.map(responseText)
        let means = try objectives.map { mean(try $0.score(prompts: validationClients, responses: responses)) }
        return (mean(means), Dictionary(uniqueKeysWithValues: zip(config.objectives, means)))
    }

    func checkpoint(_ state: TrainerState) throws {
        try PEFTAdapter.save(adapter(state), model: policy.config, to: run.adapterFolder(adapterName), baseModel: fingerprint.fileName)
        try state.save(to: run.stateFile)
    }

    func writeSamples(step: Int, clients: [String], texts: [String], scores: [[Double]]) throws {
        let k = config.samplesPerPrompt
        for (p, client) in clients.enumerated() {
            var object: [String: Any] = ["step": step, "prompt": client, "response": texts[p * k]]
            object["scores"] = Dictionary(uniqueKeysWithValues: zip(config.objectives, scores.map { $0[p * k] }))
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            try run.appendLine(String(decoding: data, as: UTF8.self), to: run.samplesFile)
        }
    }
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

func standardDeviation(_ values: [Double]) -> Double {
    let m = mean(values)
    return values.isEmpty ? 0 : (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
}
