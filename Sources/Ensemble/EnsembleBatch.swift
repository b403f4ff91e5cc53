import LanguageModel
import Tensors

/// Greedy responses of an ensemble to many prompts at once: what the grid search and the evaluation score.
///
/// All prompts decode together, each an ensemble of lockstep streams (one pass per step for every prompt
/// still running). In `hidden` and `logits` modes a stream's hidden states depend on the tokens it has seen,
/// never on the weights: each prompt keeps the path of the last response it decoded with every stream (its
/// *trail*: the streams' caches and hidden states along it), and a later call follows that trail without a
/// model pass for as long as its own greedy tokens agree with it, then goes on from where they part. Nearby
/// weights mostly give the same or nearly the same responses, so most positions of a grid search are replayed.
/// Streams of zero weight run too (they add no term to the mix), so that every call follows and extends the
/// same trails; below the adapted blocks the streams of a prompt share one pass.
/// `parameters` mode merges the adapters for the weights and prefills every call.
public final class EnsembleBatch {
    public let model: any LanguageEngine
    public let adapters: [LoRAAdapter]
    public let prompts: [[Int]]
    public let maxNewTokens: Int
    public let stopTokens: Set<Int>
    /// `[G·M]`: stream i of prompt g at g·M + i, holding prompt g then `trails[g]`.
    private var caches: [KVCache]
    /// Per prompt, the tokens fed after it in all its streams' caches.
    private var trails: [[Int]]
    /// Per prompt `[(trails[g].count + 1)·M, C]` row-major: row block k holds the M streams' hidden states after
    /// the prompt and the first k trail tokens.
    private var trailHidden: [[Float]]
    /// Positions whose hidden states came from a trail instead of a model pass, over every call so far.
    public private(set) var replayedPositions = 0
    /// Positions that took a model pass, over every call so far.
    public private(set) var computedPositions = 0

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
        let promptHidden = model.lockstepLastHiddenStates(prompts, caches: &caches, adapters: adapters)     // [G·M, C]
        let m = adapters.count
        trails = prompts.map { _ in [] }
        trailHidden = prompts.indices.map { promptHidden.rows(($0 * m)..<(($0 + 1) * m)).values }
    }

    /// The greedy response to every prompt (without the stop token) under `weights` and `mode`;
    /// `shouldContinue` is asked before each step and a false answer throws `CancellationError`.
    ///
    /// In `hidden` and `logits` modes greedy decoding depends only on the weights' direction (scaling them scales
    /// the mixed logits, or cancels in the mixture): they are normalised to sum 1, so proportional weights give the
    /// same tokens.
    public func responses(weights: [Double], mode: AggregationMode, shouldContinue: () -> Bool = { true }) throws -> [[Int]] {
        try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
        let m = adapters.count
        if mode == .parameters {
            let merged = MergedAdapter.merge(adapters, weights: weights, model: model.config)
            var caches = prompts.map { model.makeCache(capacity: $0.count + maxNewTokens) }
            let hidden = model.lockstepLastHiddenStates(prompts, caches: &caches, adapters: [merged])          // [G, C]
            var fresh = Decoding(hidden: prompts.indices.map { hidden.row($0) }, caches: caches, streams: 1)
            return try decode(&fresh, streams: [merged], weights: weights, mode: mode, shouldContinue: shouldContinue)
        }
        let total = weights.reduce(0, +)
        var own = Decoding(trails: trails, hidden: trailHidden, caches: caches, streams: m)
        caches = []                                                  // moved out, so decoding copies nothing
        defer {
            trails = own.trails
            trailHidden = own.hidden
            caches = own.caches
        }
        return try decode(&own, streams: adapters, weights: weights.map { $0 / total }, mode: mode, shouldContinue: shouldContinue)
    }

    /// Every prompt's M streams as a decode leaves them: caches `[G·M]` holding the prompt then `trails[g]`, and
    /// per prompt the hidden states along the trail `[(trails[g].count + 1)·M, C]` row-major.
    private struct Decoding {
        var trails: [[Int]]
        var hidden: [[Float]]
        var caches: [KVCache]
        let streams: Int

        init(trails: [[Int]]? = nil, hidden: [[Float]], caches: [KVCache], streams: Int) {
            self.trails = trails ?? hidden.map { _ in [] }
            self.hidden = hidden
            self.caches = caches
            self.streams = streams
        }
    }

    /// Greedy decoding of every prompt along and then off its trail; a prompt leaves the pass when it stops.
    /// A position the trail already holds is read from it; the others run through the model, batched over the
    /// prompts that need them, and extend the trail (which is first cut where the new response parts from it).
    private func decode(_ state: inout Decoding, streams: [LoRAAdapter?], weights: [Double], mode: AggregationMode,
                        shouldContinue: () -> Bool) throws -> [[Int]] {
        let m = state.streams, c = model.config.embeddingWidth, block = m * c
        var responses = [[Int]](repeating: [], count: prompts.count)
        var active = Array(prompts.indices)                     // the prompts still decoding, in order
        while !active.isEmpty {
            // [A·M, C]: each active prompt's streams after its response so far (a row block of its trail).
            var current = Matrix(rows: active.count * m, cols: c)
            for (a, g) in active.enumerated() {
                let k = responses[g].count
                current.values.replaceSubrange((a * block)..<((a + 1) * block), with: state.hidden[g][(k * block)..<((k + 1) * block)])
            }
            let scores = EnsembleGenerator.mixedScores(model, hidden: current, groups: active.count, weights: weights, mode: mode)
            var kept: [Int] = [], fed: [Int] = [], next: [Int] = []
            for (a, g) in active.enumerated() {
                let token = VectorMath.argmax(scores[a][...])
                if stopTokens.contains(token) { continue }
                responses[g].append(token)
                if responses[g].count == maxNewTokens { continue }
                kept.append(g)
                let k = responses[g].count - 1                  // the position this token takes after the prompt
                if k < state.trails[g].count, state.trails[g][k] == token {
                    replayedPositions += 1
                    continue
                }
                if k < state.trails[g].count {                  // the response parts from the trail here
                    state.trails[g].removeSubrange(k...)
                    state.hidden[g].removeSubrange(((k + 1) * block)...)
                    for i in 0..<m { state.caches[g * m + i].truncate(to: prompts[g].count + k) }
                }
                fed.append(g)
                next.append(token)
            }
            active = kept
            if active.isEmpty { break }
            guard shouldContinue() else { throw CancellationError() }
            guard !fed.isEmpty else { continue }
            var passing = fed.flatMap { g in (0..<m).map { i in state.caches[g * m + i] } }              // [F·M], moved
            for g in fed { for i in 0..<m { state.caches[g * m + i] = KVCache(config: model.config, capacity: 0) } }
            let hidden = model.lockstepLastHiddenStates(next.map { [$0] }, caches: &passing, adapters: streams)   // [F·M, C]
            computedPositions += fed.count
            for (f, g) in fed.enumerated() {
                for i in 0..<m { state.caches[g * m + i] = passing[f * m + i] }
                state.trails[g].append(next[f])
                state.hidden[g] += hidden.values[(f * block)..<((f + 1) * block)]
            }
            passing = []
        }
        return responses
    }
}
