import Foundation
import Tensors

/// How the next token is chosen from logits.
public struct SamplingParameters: Sendable, Codable, Equatable {
    /// 0 means greedy (argmax); otherwise logits are divided by it.
    public var temperature: Float
    /// Keep only the k most likely tokens (0 = no limit).
    public var topK: Int
    /// Keep the smallest set of tokens whose probability reaches p (1 = no limit).
    public var topP: Float

    public init(temperature: Float = 0.7, topK: Int = 50, topP: Float = 1.0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Always the most likely token.
    public static let greedy = SamplingParameters(temperature: 0, topK: 0, topP: 1)

    /// The paper's training rollouts: temperature 1, top-k 50.
    public static let training = SamplingParameters(temperature: 1, topK: 50, topP: 1)
}

/// A seeded sampler: the same parameters, seed and logits give the same tokens.
public struct Sampler: Sendable {
    public var parameters: SamplingParameters
    public var random: SeededRandom

    public init(_ parameters: SamplingParameters, seed: UInt64) {
        self.parameters = parameters
        self.random = SeededRandom(seed: seed)
    }

    /// Picks the next token from one position's logits `[V]`.
    public mutating func sample(_ logits: ArraySlice<Float>) -> Int {
        if parameters.temperature <= 0 || parameters.topK == 1 { return VectorMath.argmax(logits) }
        let candidates = Self.mostLikely(logits, limit: parameters.topK)  // (token, logit) by descending logit
        let invT = 1 / parameters.temperature
        let top = candidates[0].logit
        var weights = candidates.map { expf(($0.logit - top) * invT) }
        var total = weights.reduce(0, +)
        if parameters.topP < 1 {
            var kept = 0, mass: Float = 0
            while kept < weights.count && mass < parameters.topP * total {
                mass += weights[kept]
                kept += 1
            }
            weights.removeLast(weights.count - kept)
            total = mass
        }
        var target = random.nextUnitFloat() * total
        for (i, w) in weights.enumerated() {
            target -= w
            if target < 0 { return candidates[i].token }
        }
        return candidates[weights.count - 1].token
    }

    /// The `limit` largest logits (all when `limit` is 0), sorted by descending logit, ties by lower id.
    static func mostLikely(_ logits: ArraySlice<Float>, limit: Int) -> [(token: Int, logit: Float)] {
        let base = logits.startIndex
        if limit <= 0 || limit >= logits.count {
            return logits.indices.map { ($0 - base, logits[$0]) }
                .sorted { $0.logit > $1.logit || ($0.logit == $1.logit && $0.token < $1.token) }
        }
        // Keep a buffer sorted ascending; replace its smallest when a larger logit comes.
        var kept: [(token: Int, logit: Float)] = logits.prefix(limit).indices.map { ($0 - base, logits[$0]) }
        kept.sort { $0.logit < $1.logit || ($0.logit == $1.logit && $0.token > $1.token) }
        for i in logits.indices.dropFirst(limit) where logits[i] > kept[0].logit {
            let entry = (token: i - base, logit: logits[i])
            var position = 0
            while position + 1 < kept.count && kept[position + 1].logit < entry.logit { position += 1 }
            kept.remove(at: 0)
            kept.insert(entry, at: position)
        }
        return kept.reversed()
    }
}
