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
/// `parameters` mode merges the adapters for the weights; there only the blocks below the adapted ones are
/// independent of the weights, so its trails keep the residual stream entering the first adapted block (and
/// those blocks' keys and values): a call runs just the adapted blocks along a trail, the whole model off it.
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
    /// The first block an adapter touches: below it every stream is the base model.
    private let firstAdaptedBlock: Int
    /// `parameters` mode's trails, made by its first call: per prompt one cache whose blocks below
    /// `firstAdaptedBlock` hold the prompt then `mergedTrails[g]` (the blocks above, the last call's), the trail,
    /// and the residual rows entering `firstAdaptedBlock` along prompt and trail `[P_g + trail, C]` row-major.
    private var mergedCaches: [KVCache] = []
    private var mergedTrails: [[Int]] = []
    private var mergedEntering: [[Float]] = []
    /// Positions whose hidden states came from a trail instead of a model pass (in `parameters` mode: a pass of the
    /// adapted blocks only), over every call so far.
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
        firstAdaptedBlock = adapters.compactMap { $0.slots.map(\.block).min() }.min() ?? model.config.blockCount
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
            return try mergedResponses(MergedAdapter.merge(adapters, weights: weights, model: model.config), shouldContinue: shouldContinue)
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

    // MARK: - Parameters mode

    /// Greedy responses of the model with `merged`: the adapted blocks rerun over each prompt from its kept residual;
    /// then each step runs only the adapted blocks where the token follows the prompt's trail, and the whole model
    /// (extending the trail) where it does not.
    private func mergedResponses(_ merged: LoRAAdapter, shouldContinue: () -> Bool) throws -> [[Int]] {
        let c = model.config.embeddingWidth, b = firstAdaptedBlock
        if mergedCaches.isEmpty {                                      // the base below the adapted blocks, once
            var caches = prompts.map { model.makeCache(capacity: $0.count + maxNewTokens) }
            let pass = model.forward(prompts, caches: &caches, adapters: prompts.map { _ in nil }, keepingInputOf: b,
                                     stop: { false })!
            var start = 0
            mergedEntering = prompts.map { prompt in
                defer { start += prompt.count }
                return pass.entering!.rows(start..<(start + prompt.count)).values
            }
            mergedTrails = prompts.map { _ in [] }
            mergedCaches = caches
        }
        var caches = mergedCaches
        mergedCaches = []                                              // moved out, so passes copy nothing
        defer { mergedCaches = caches }
        for g in prompts.indices { caches[g].truncate(to: 0) }         // the adapted blocks start over; the base below stays
        let promptRows = prompts.indices.flatMap { g in mergedEntering[g][..<(prompts[g].count * c)] }
        let promptHidden = model.hiddenStates(entering: Matrix(rows: promptRows.count / c, cols: c, values: promptRows), block: b,
                                              lengths: prompts.map(\.count), caches: &caches, adapters: prompts.map { _ in merged })
        var hidden = model.lastRows(promptHidden, lengths: prompts.map(\.count))                    // [A, C] of the active prompts
        var responses = [[Int]](repeating: [], count: prompts.count)
        var active = Array(prompts.indices)
        while !active.isEmpty {
            let logits = model.logits(hidden)                                                          // [A, V]
            var kept: [Int] = [], replay: [Int] = [], fed: [Int] = [], next: [Int] = []
            for (a, g) in active.enumerated() {
                let token = VectorMath.argmax(logits.row(a)[...])
                if stopTokens.contains(token) { continue }
                responses[g].append(token)
                if responses[g].count == maxNewTokens { continue }
                kept.append(g)
                let k = responses[g].count - 1                  // the position this token takes after the prompt
                if k < mergedTrails[g].count, mergedTrails[g][k] == token { replay.append(g); continue }
                if k < mergedTrails[g].count {                  // the response parts from the trail here
                    mergedTrails[g].removeSubrange(k...)
                    mergedEntering[g].removeSubrange(((prompts[g].count + k) * c)...)
                }
                fed.append(g)
                next.append(token)
            }
            active = kept
            if active.isEmpty { break }
            guard shouldContinue() else { throw CancellationError() }
            var rowOf: [Int: [Float]] = [:]                                                            // next hidden state per prompt
            if !replay.isEmpty {
                let rows = replay.flatMap { g in
                    let row = prompts[g].count + responses[g].count - 1
                    return mergedEntering[g][(row * c)..<((row + 1) * c)]
                }
                var passing = replay.map { caches[$0] }
                for g in replay { caches[g] = KVCache(config: model.config, capacity: 0) }
                let out = model.hiddenStates(entering: Matrix(rows: replay.count, cols: c, values: rows), block: b,
                                             lengths: replay.map { _ in 1 }, caches: &passing, adapters: replay.map { _ in merged })
                for (r, g) in replay.enumerated() { caches[g] = passing[r]; rowOf[g] = out.row(r) }
                replayedPositions += replay.count
            }
            if !fed.isEmpty {
                var passing = fed.map { caches[$0] }
                for g in fed { caches[g] = KVCache(config: model.config, capacity: 0) }
                let pass = model.forward(next.map { [$0] }, caches: &passing, adapters: fed.map { _ in merged }, keepingInputOf: b,
                                         stop: { false })!                                                 // [F, C]
                for (f, g) in fed.enumerated() {
                    caches[g] = passing[f]
                    rowOf[g] = pass.hidden.row(f)
                    mergedTrails[g].append(next[f])
                    mergedEntering[g] += pass.entering!.row(f)
                }
                computedPositions += fed.count
            }
            hidden = Matrix(rows: active.count, cols: c, values: active.flatMap { rowOf[$0]! })
        }
        return responses
    }
}
