import Foundation

/// The paper's rewards and self-critical advantages.
public enum RewardShaping {
    /// Lowest and highest score a reward is computed from (so ln stays finite).
    public static let scoreClip: ClosedRange<Double> = 1e-4...0.9999

    /// ln(clip(score, 1e-4, 0.9999)).
    public static func reward(score: Double) -> Double {
        log(min(max(score.isNaN ? scoreClip.lowerBound : score, scoreClip.lowerBound), scoreClip.upperBound))
    }

    /// The weighted mean of the objectives' log rewards for one response; `scores[j]` belongs to objective j.
    public static func reward(scores: [Double], weights: [Double]) -> Double {
        precondition(scores.count == weights.count && !weights.isEmpty, "one weight per objective")
        let total = weights.reduce(0, +)
        return zip(scores, weights).map { reward(score: $0) * $1 }.reduce(0, +) / total
    }

    /// Self-critical advantages: each sample's reward minus the mean reward of its prompt's samples.
    /// `rewards` holds `samplesPerPrompt` consecutive samples per prompt.
    public static func advantages(rewards: [Double], samplesPerPrompt k: Int) -> [Double] {
        precondition(k >= 1 && rewards.count % k == 0, "\(rewards.count) rewards are not whole groups of \(k)")
        return stride(from: 0, to: rewards.count, by: k).flatMap { start in
            let group = rewards[start..<(start + k)]
            let baseline = group.reduce(0, +) / Double(k)
            return group.map { $0 - baseline }
        }
    }
}
