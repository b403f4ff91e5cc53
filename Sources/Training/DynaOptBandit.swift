import Foundation
import Tensors

/// DynaOpt's Exp3 bandit: which objective to boost in the combined reward (or none).
///
/// Arms 0..<N boost objective j (its weight doubled before normalising), arm N boosts none. After each
/// validation the played arm is rewarded by the change of the validation mean, mapped to [0, 1] as
/// clip(0.5 + 10·Δ, 0, 1), with the importance weight of Exp3.
public struct DynaOptBandit: Codable, Sendable, Equatable {
    public let objectiveCount: Int
    public let gamma: Double
    /// Exp3 log-weights, one per arm (logs keep long runs finite).
    public private(set) var logWeights: [Double]
    /// The arm currently played.
    public private(set) var arm: Int

    public init(objectiveCount: Int, gamma: Double = 0.07) {
        self.objectiveCount = objectiveCount
        self.gamma = gamma
        logWeights = [Double](repeating: 0, count: objectiveCount + 1)
        arm = objectiveCount
    }

    /// Exp3's arm probabilities: (1 − γ)·w/Σw + γ/K.
    public var probabilities: [Double] {
        let top = logWeights.max()!
        let w = logWeights.map { exp($0 - top) }
        let total = w.reduce(0, +)
        let k = Double(w.count)
        return w.map { (1 - gamma) * $0 / total + gamma / k }
    }

    /// The reward weights of the played arm (sum 1).
    public var objectiveWeights: [Double] {
        let raw = (0..<objectiveCount).map { $0 == arm ? 2.0 : 1.0 }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// Credits the played arm with the validation change `delta`, then draws the next arm.
    public mutating func update(validationDelta delta: Double, random: inout SeededRandom) {
        let reward = min(max(0.5 + 10 * delta, 0), 1)
        let p = probabilities[arm]
        logWeights[arm] += gamma * (reward / p) / Double(logWeights.count)
        var u = Double(random.nextUnitFloat())
        let probs = probabilities
        arm = probs.count - 1
        for (i, q) in probs.enumerated() {
            if u < q { arm = i; break }
            u -= q
        }
    }
}
