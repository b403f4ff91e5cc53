import Foundation

/// One line of `metrics.jsonl`, with TRL's names.
///
/// `reward` is the mean shaped (log) reward that the step optimised; `rewards/<objective>/mean` the mean raw
/// score in [0, 1] of each objective. Validation fields are present on validation steps only: `validation/…` of greedy
/// answers, `validation_sampled/…` of answers sampled as in training.
public struct StepMetrics: Sendable, Equatable {
    public var step: Int
    public var reward: Double
    public var rewardStd: Double
    /// Per objective: mean and std of the raw scores of this step's samples.
    public var objectiveMeans: [String: Double]
    public var objectiveStds: [String: Double]
    public var loss: Double
    public var gradNorm: Double
    public var kl: Double
    public var entropy: Double
    public var meanCompletionLength: Double
    public var learningRate: Double
    /// Wall seconds of this step, split into its phases.
    public var stepTime: Double
    public var phaseSeconds: [String: Double]
    /// Prompts consumed so far (the paper's data points) and wall seconds of training so far.
    public var dataPoints: Int
    public var seconds: Double
    /// Greedy validation: the mean over objectives and each objective's mean.
    public var validationMean: Double?
    public var validationObjectiveMeans: [String: Double]
    /// Sampled validation (the training's sampling, a fixed seed): the mean over objectives and each objective's mean.
    public var sampledValidationMean: Double?
    public var sampledValidationObjectiveMeans: [String: Double]

    public init(step: Int, reward: Double, rewardStd: Double, objectiveMeans: [String: Double], objectiveStds: [String: Double],
                loss: Double, gradNorm: Double, kl: Double, entropy: Double, meanCompletionLength: Double, learningRate: Double,
                stepTime: Double, phaseSeconds: [String: Double], dataPoints: Int, seconds: Double,
                validationMean: Double? = nil, validationObjectiveMeans: [String: Double] = [:],
                sampledValidationMean: Double? = nil, sampledValidationObjectiveMeans: [String: Double] = [:]) {
        self.step = step
        self.reward = reward
        self.rewardStd = rewardStd
        self.objectiveMeans = objectiveMeans
        self.objectiveStds = objectiveStds
        self.loss = loss
        self.gradNorm = gradNorm
        self.kl = kl
        self.entropy = entropy
        self.meanCompletionLength = meanCompletionLength
        self.learningRate = learningRate
        self.stepTime = stepTime
        self.phaseSeconds = phaseSeconds
        self.dataPoints = dataPoints
        self.seconds = seconds
        self.validationMean = validationMean
        self.validationObjectiveMeans = validationObjectiveMeans
        self.sampledValidationMean = sampledValidationMean
        self.sampledValidationObjectiveMeans = sampledValidationObjectiveMeans
    }

    /// The flat JSON object written as one line.
    public var jsonObject: [String: Double] {
        var o: [String: Double] = [
            "step": Double(step), "reward": reward, "reward_std": rewardStd, "loss": loss, "grad_norm": gradNorm,
            "kl": kl, "entropy": entropy, "completions/mean_length": meanCompletionLength, "learning_rate": learningRate,
            "step_time": stepTime, "data_points": Double(dataPoints), "seconds": seconds,
        ]
        for (name, v) in objectiveMeans { o["rewards/\(name)/mean"] = v }
        for (name, v) in objectiveStds { o["rewards/\(name)/std"] = v }
        for (phase, v) in phaseSeconds { o["step_time/\(phase)"] = v }
        if let validationMean { o["validation/mean"] = validationMean }
        for (name, v) in validationObjectiveMeans { o["validation/\(name)/mean"] = v }
        if let sampledValidationMean { o["validation_sampled/mean"] = sampledValidationMean }
        for (name, v) in sampledValidationObjectiveMeans { o["validation_sampled/\(name)/mean"] = v }
        return o
    }

    /// The line as written to `metrics.jsonl` (keys sorted, no newline).
    public var jsonLine: String {
        let data = try! JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a line written by `jsonLine` (or by another TRL-style writer); nil if it is not a complete object.
    public init?(jsonLine line: Substring) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let step = object["step"] as? Double else { return nil }
        func value(_ key: String) -> Double { object[key] as? Double ?? 0 }
        func named(_ prefix: String, _ suffix: String) -> [String: Double] {
            var out: [String: Double] = [:]
            for (key, v) in object where key.hasPrefix(prefix) && key.hasSuffix(suffix) && key.count > prefix.count + suffix.count {
                if let d = v as? Double { out[String(key.dropFirst(prefix.count).dropLast(suffix.count))] = d }
            }
            return out
        }
        self.init(step: Int(step), reward: value("reward"), rewardStd: value("reward_std"),
                  objectiveMeans: named("rewards/", "/mean"), objectiveStds: named("rewards/", "/std"),
                  loss: value("loss"), gradNorm: value("grad_norm"), kl: value("kl"), entropy: value("entropy"),
                  meanCompletionLength: value("completions/mean_length"), learningRate: value("learning_rate"),
                  stepTime: value("step_time"), phaseSeconds: named("step_time/", ""), dataPoints: Int(value("data_points")),
                  seconds: value("seconds"), validationMean: object["validation/mean"] as? Double,
                  validationObjectiveMeans: named("validation/", "/mean"),
                  sampledValidationMean: object["validation_sampled/mean"] as? Double,
                  sampledValidationObjectiveMeans: named("validation_sampled/", "/mean"))
    }
}
