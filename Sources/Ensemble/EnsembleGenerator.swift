import Foundation
import LanguageModel
import Tensors

/// N adapters over one base model, decoded together as EMORL and its comparison methods combine them.
///
/// - `hidden`: every model decodes the same prefix in lockstep; each step's final-norm hidden states are
///   summed with the weights, `h = Σ wᵢ·hᵢ` `[C]`, and sent through the shared head.
/// - `logits`: the next-token distributions are mixed, `p = Σ wᵢ·softmax(lᵢ) / Σ wᵢ`; the sampler sees log p.
/// - `parameters`: one model with the merged adapter (`MergedAdapter`).
/// Weights are not normalised in `hidden` mode, so w and 2w differ (under sampling and in general).
public struct EnsembleGenerator: Sendable {
    public let model: any LanguageEngine
    public let adapters: [LoRAAdapter]

    public init(model: any LanguageEngine, adapters: [LoRAAdapter]) {
        self.model = model
        self.adapters = adapters
    }

    /// Generates up to `maxNewTokens` after `prompt`; `onToken` gets each new token and returns false to cancel.
    public func generate(
        prompt: [Int], weights: [Double], mode: AggregationMode, maxNewTokens: Int,
        sampler: inout Sampler, stopTokens: Set<Int>, onToken: (Int) -> Bool = { _ in true }
    ) throws -> Generation {
        try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
        let streams: [LoRAAdapter?] = mode == .parameters
            ? [MergedAdapter.merge(adapters, weights: weights, model: model.config)]
            : adapters
        var caches = streams.map { _ in model.makeCache(capacity: prompt.count + maxNewTokens) }
        let start = Date()
        var next = nextTokenScores(prompt, streams: streams, caches: &caches, weights: weights, mode: mode)
        let prefillSeconds = Date().timeIntervalSince(start)
        var tokens: [Int] = []
        var reason = Generation.StopReason.maxTokens
        while tokens.count < maxNewTokens {
            let token = sampler.sample(next[...])
            if stopTokens.contains(token) { reason = .stopToken; break }
            tokens.append(token)
            if !onToken(token) { reason = .cancelled; break }
            if tokens.count == maxNewTokens { break }
            next = nextTokenScores([token], streams: streams, caches: &caches, weights: weights, mode: mode)
        }
        return Generation(tokens: tokens, stopReason: reason, prefillSeconds: prefillSeconds,
                          decodeSeconds: Date().timeIntervalSince(start) - prefillSeconds)
    }

    /// Runs `tokens` through every stream and returns the combined next-token scores `[V]` (logits or log p).
    func nextTokenScores(
        _ tokens: [Int], streams: [LoRAAdapter?], caches: inout [KVCache], weights: [Double], mode: AggregationMode
    ) -> [Float] {
        let hidden = model.lockstepLastHiddenStates([tokens], caches: &caches, adapters: streams)               // [M, C]
        return Self.mixedScores(model, hidden: hidden, groups: 1, weights: weights, mode: mode)[0]
    }

    /// The combined next-token scores of each of `groups` ensembles from their streams' hidden states
    /// `[G·M, C]` (group after group): `[G][V]`, logits (`hidden`, `parameters`: M = 1) or log p (`logits`).
    static func mixedScores(_ model: any LanguageEngine, hidden: Matrix, groups: Int, weights: [Double],
                            mode: AggregationMode) -> [[Float]] {
        let c = model.config.embeddingWidth, m = hidden.rows / groups
        switch mode {
        case .parameters:
            let logits = model.logits(hidden)                                                              // [G, V]
            return (0..<groups).map { logits.row($0) }
        case .hidden:
            var mixed = Matrix(rows: groups, cols: c)                                                      // [G, C]
            for g in 0..<groups {
                for (i, w) in weights.enumerated() where w != 0 {
                    let row = (g * m + i) * c
                    for j in 0..<c { mixed.values[g * c + j] += Float(w) * hidden.values[row + j] }
                }
            }
            let logits = model.logits(mixed)                                                               // [G, V]
            return (0..<groups).map { logits.row($0) }
        case .logits:
            let logits = model.logits(hidden)                                                              // [G·M, V]
            let total = weights.reduce(0, +)
            return (0..<groups).map { g in
                var mixture = [Double](repeating: 0, count: logits.cols)
                for (i, w) in weights.enumerated() where w != 0 {
                    let logProbabilities = VectorMath.logSoftmax(logits.row(g * m + i))
                    for v in mixture.indices { mixture[v] += w * exp(Double(logProbabilities[v])) }
                }
                return mixture.map { Float(log($0 / total)) }
            }
        }
    }
}
