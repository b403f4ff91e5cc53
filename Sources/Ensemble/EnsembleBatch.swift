import LanguageModel
import Tensors

/// Greedy responses of an ensemble to many prompts at once: what the grid search and the evaluation score.
///
/// All prompts decode together, each an ensemble of lockstep streams (one pass per step for every prompt
/// still running). In `hidden` and `logits` modes the prompts' KV caches and last hidden states do not
/// depend on the weights: they are computed once, here, and each call decodes from them, then forgets its
/// own positions again. `parameters` mode merges the adapters for the weights and prefills every call.
public final class EnsembleBatch {
    public let model: any LanguageEngine
    public let adapters: [LoRAAdapter]
    public let prompts: [[Int]]
    public let maxNewTokens: Int
    public let stopTokens: Set<Int>
    /// `[G·M]`: stream i of prompt g at g·M + i, filled with the prompt only.
    private var caches: [KVCache]
    /// `[G·M, C]`: each stream's hidden state at its prompt's last position.
    private let promptHidden: Matrix

    /// Prefills every prompt through every adapter (one lockstep pass).
    public init(model: any LanguageEngine, adapters: [LoRAAdapter], prompts: [[Int]], maxNewTokens: Int, stopTokens: Set<Int>) throws {
        guard !adapters.isEmpty else { throw EnsembleError(message: "the ensemble has no adapters") }
        guard !prompts.isEmpty, prompts.allSatisfy({ !$0.isEmpty }) else {
            throw EnsembleError(message: "the ensemble needs at least one prompt, none of them empty")
        }
        self.model = model
        self.adapters = adapters
        self.prompts = prompts
        self.maxNewTokens = maxNewTokens
        self.stopTokens = stopTokens
        caches = prompts.flatMap { prompt in adapters.map { _ in model.makeCache(capacity: prompt.count + maxNewTokens) } }
        promptHidden = model.lockstepLastHiddenStates(prompts, caches: &caches, adapters: adapters)
    }

    /// The greedy response to every prompt (without the stop token) under `weights` and `mode`;
    /// `shouldContinue` is asked before each step and a false answer throws `CancellationError`.
    ///
    /// In `hidden` and `logits` modes greedy decoding depends only on the weights' direction (scaling them scales
    /// the mixed logits, or cancels in the mixture): they are normalised to sum 1, so proportional weights give the
    /// same tokens, and only the streams of adapters with a positive weight are run.
    public func responses(weights: [Double], mode: AggregationMode, shouldContinue: () -> Bool = { true }) throws -> [[Int]] {
        try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
        if mode == .parameters {
            let merged = MergedAdapter.merge(adapters, weights: weights, model: model.config)
            var caches = prompts.map { model.makeCache(capacity: $0.count + maxNewTokens) }
            let hidden = model.lockstepLastHiddenStates(prompts, caches: &caches, adapters: [merged])          // [G, C]
            return try decode(from: hidden, caches: &caches, streams: [merged], weights: weights, mode: mode,
                              shouldContinue: shouldContinue)
        }
        let m = adapters.count, total = weights.reduce(0, +)
        let used = weights.indices.filter { weights[$0] > 0 }
        let slots = prompts.indices.flatMap { g in used.map { g * m + $0 } }                                  // [G·U] into [G·M]
        var running = slots.map { slot in                                    // moved out, so decoding copies nothing
            defer { caches[slot] = KVCache(config: model.config, capacity: 0) }
            return caches[slot]
        }
        defer {
            for (k, slot) in slots.enumerated() {
                running[k].truncate(to: prompts[slot / m].count)
                caches[slot] = running[k]
            }
        }
        return try decode(from: used.count == m ? promptHidden : promptHidden.gathering(rows: slots), caches: &running,
                          streams: used.map { adapters[$0] }, weights: used.map { weights[$0] / total }, mode: mode,
                          shouldContinue: shouldContinue)
    }

    /// Greedy decoding of every prompt from its streams' hidden states `[G·M, C]` and caches `[G·M]`; a prompt
    /// leaves the pass when it stops. The caches come back in their order, each holding what it decoded.
    private func decode(from promptHidden: Matrix, caches: inout [KVCache], streams: [LoRAAdapter?], weights: [Double],
                        mode: AggregationMode, shouldContinue: () -> Bool) throws -> [[Int]] {
        let m = streams.count
        var responses = [[Int]](repeating: [], count: prompts.count)
        var parked = [[KVCache]](repeating: [], count: prompts.count)
        var active = Array(prompts.indices)                     // the prompts still decoding, in order
        var live: [KVCache] = []                                // [A·M]: their caches (moved, never copied)
        swap(&live, &caches)
        var hidden = promptHidden                               // [A·M, C]
        var cancelled = false
        while !active.isEmpty {
            let scores = EnsembleGenerator.mixedScores(model, hidden: hidden, groups: active.count, weights: weights, mode: mode)
            var next: [Int] = [], kept: [Int] = [], keptCaches: [KVCache] = []
            for (a, prompt) in active.enumerated() {
                let token = VectorMath.argmax(scores[a][...])
                let stops = stopTokens.contains(token)
                if !stops { responses[prompt].append(token) }
                let group = Array(live[(a * m)..<((a + 1) * m)])
                if stops || responses[prompt].count == maxNewTokens {
                    parked[prompt] = group
                } else {
                    kept.append(prompt)
                    next.append(token)
                    keptCaches += group
                }
            }
            live = keptCaches                                   // releases the old array: caches stay uniquely owned
            active = kept
            if active.isEmpty { break }
            guard shouldContinue() else {
                cancelled = true
                for (a, prompt) in active.enumerated() { parked[prompt] = Array(live[(a * m)..<((a + 1) * m)]) }
                break
            }
            hidden = model.lockstepLastHiddenStates(next.map { [$0] }, caches: &live, adapters: streams)      // [A·M, C]
        }
        live = []
        caches = parked.flatMap { $0 }
        if cancelled { throw CancellationError() }
        return responses
    }
}
