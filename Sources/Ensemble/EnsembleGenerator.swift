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
/// A nil adapter is the base model (it adds nothing to a merge).
public struct EnsembleGenerator: Sendable {
    public let model: any LanguageEngine
    public let adapters: [LoRAAdapter?]

    public init(model: any LanguageEngine, adapters: [LoRAAdapter?]) {
        self.model = model
        self.adapters = adapters
    }

    /// Generates up to `maxNewTokens` after `prompt`; `onToken` gets each new token; `cancelled` is asked
    /// after each token and during each pass (between blocks where the engine can), and ends generation early.
    public func generate(
        prompt: [Int], weights: [Double], mode: AggregationMode, maxNewTokens: Int, sampler: inout Sampler,
        stopTokens: Set<Int>, cancelled: () -> Bool = { false }, onToken: (Int) -> Void = { _ in }
    ) throws -> Generation {
        var cache = PromptCache()
        return try generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: maxNewTokens, sampler: &sampler,
                            stopTokens: stopTokens, cache: &cache, cancelled: cancelled, onToken: onToken)
    }

    /// The same, starting from what `cache` holds (see `PromptCache`) and leaving `prompt` in it for the next call.
    public func generate(
        prompt: [Int], weights: [Double], mode: AggregationMode, maxNewTokens: Int, sampler: inout Sampler,
        stopTokens: Set<Int>, cache: inout PromptCache, cancelled: () -> Bool = { false }, onToken: (Int) -> Void = { _ in }
    ) throws -> Generation {
        try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
        let start = Date()
        let prepared = cache.prepare(prompt, streams: streams(weights: weights, mode: mode), newTokens: maxNewTokens, model: model,
                                     stop: cancelled)
        var next = prepared && !cancelled() ? scores(cache.last, weights: weights, mode: mode) : nil   // [V]; nil: cancelled
        let prefillSeconds = Date().timeIntervalSince(start)
        var tokens: [Int] = []
        var reason = Generation.StopReason.maxTokens
        while tokens.count < maxNewTokens {
            guard let current = next else { reason = .cancelled; break }
            let token = sampler.sample(current[...])
            if stopTokens.contains(token) { reason = .stopToken; break }
            tokens.append(token)
            onToken(token)
            if tokens.count < maxNewTokens { next = scores(after: token, cache: &cache, weights: weights, mode: mode, cancelled: cancelled) }
        }
        return Generation(tokens: tokens, stopReason: reason, prefillSeconds: prefillSeconds,
                          decodeSeconds: Date().timeIntervalSince(start) - prefillSeconds)
    }

    /// The next scores `[V]` after every stream takes `token`; nil when `cancelled` answers true before the head.
    func scores(after token: Int, cache: inout PromptCache, weights: [Double], mode: AggregationMode, cancelled: () -> Bool) -> [Float]? {
        guard !cancelled(),
              let hidden = model.lockstepLastHiddenStates([[token]], caches: &cache.caches, adapters: cache.streams,
                                                          stop: cancelled),                            // [M, C]
              !cancelled() else { return nil }
        return scores(hidden, weights: weights, mode: mode)
    }

    /// The streams `mode` runs: one per adapter, or in `parameters` mode the single merge of the adapters
    /// with positive weight (the base when there is none).
    func streams(weights: [Double], mode: AggregationMode) -> [LoRAAdapter?] {
        guard mode == .parameters else { return adapters }
        let used = adapters.indices.filter { adapters[$0] != nil && weights[$0] > 0 }
        guard !used.isEmpty else { return [nil] }
        return [MergedAdapter.merge(used.map { adapters[$0]! }, weights: used.map { weights[$0] }, model: model.config)]
    }

    /// The next-token scores `[V]` (logits, or log p in `logits` mode) of the streams' hidden states `[M, C]`.
    func scores(_ hidden: Matrix, weights: [Double], mode: AggregationMode) -> [Float] {
        Self.mixedScores(model, hidden: hidden, groups: 1, weights: weights, mode: mode)[0]
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
            let total = weights.reduce(0, +), v = logits.cols
            var mixture = [Double](repeating: 0, count: v)                                                 // [V], per group
            return logits.values.withUnsafeBufferPointer { z in
                (0..<groups).map { g in
                    for j in 0..<v { mixture[j] = 0 }
                    for (i, w) in weights.enumerated() where w != 0 {
                        let row = z.baseAddress! + (g * m + i) * v
                        let logZ = VectorMath.logSumExp(row, count: v)
                        for j in 0..<v { mixture[j] += w * Double(expf(row[j] - logZ)) }
                    }
                    return mixture.map { Float(log($0 / total)) }
                }
            }
        }
    }
}
