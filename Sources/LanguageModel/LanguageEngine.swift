import Tensors

/// What generation, the ensemble and the trainer's rollouts need from a model: several streams over one
/// base, each with its own KV cache and optional LoRA adapter, and the shared head.
///
/// `LlamaModel` (f32, the reference) and the quantized engine both provide it.
public protocol LanguageEngine: Sendable {
    var config: LlamaConfig { get }
    /// An empty KV cache for `capacity` positions.
    func makeCache(capacity: Int) -> KVCache
    /// `count` caches of `capacity` positions that start with `prefix`'s positions (a prompt several samples
    /// continue): copies, or one shared read-only prefix where the engine reads one.
    func makeCaches(_ count: Int, capacity: Int, startingWith prefix: KVCache) -> [KVCache]
    /// Stream i runs `streams[i]` after the positions in `caches[i]` with `adapters[i]`; returns the final-norm
    /// hidden states `[ΣTᵢ, C]`, stream after stream, and, when `keptBlock` is given, the residual stream entering
    /// that block `[ΣTᵢ, C]` (the trainer keeps it so its backward starts there). Gives up once `stop()` answers
    /// true (asked at least before the pass): nil then, and each cache holds only the positions it held before
    /// (what the pass wrote past them is not part of it).
    func forward(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], keepingInputOf keptBlock: Int?,
                 stop: () -> Bool) -> (hidden: Matrix, entering: Matrix?)?
    /// Stream i continues `caches[i]` from its residual rows entering block `block` (`residual` `[ΣTᵢ, C]`, stream
    /// after stream, `lengths[i]` rows each) — what `forward` kept there — and runs only the blocks from `block` up,
    /// with `adapters[i]`; returns the final-norm hidden states `[ΣTᵢ, C]`. The caches' blocks below `block` are not
    /// written: such a cache serves only further passes that start at `block` too.
    func hiddenStates(entering residual: Matrix, block: Int, lengths: [Int], caches: inout [KVCache],
                      adapters: [LoRAAdapter?]) -> Matrix
    /// Groups of M lockstep streams (an ensemble per prompt): the streams of group g share their history and
    /// all run `groups[g]`, stream i with `adapters[i]`, `caches[g·M + i]`. Equals `hiddenStates` with every
    /// stream's tokens, `[Σ_g M·T_g, C]`, and may share the work of blocks no adapter touches; nil when `stop`
    /// ended the pass early, as `hiddenStates(_:caches:adapters:stop:)`.
    func lockstepHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], stop: () -> Bool) -> Matrix?
    /// Next-token logits through the shared head: `[N, C]` → `[N, V]`.
    func logits(_ hidden: Matrix) -> Matrix
}

extension LanguageEngine {
    /// The final-norm hidden states `[ΣTᵢ, C]` of the streams (see `forward`).
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        forward(streams, caches: &caches, adapters: adapters, keepingInputOf: nil, stop: { false })!.hidden
    }

    /// The hidden states `[ΣTᵢ, C]` and the residual stream entering block `keptBlock` `[ΣTᵢ, C]` (see `forward`).
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?],
                             keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?) {
        forward(streams, caches: &caches, adapters: adapters, keepingInputOf: keptBlock, stop: { false })!
    }

    /// The hidden states `[ΣTᵢ, C]`, nil when `stop` ended the pass early (see `forward`).
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], stop: () -> Bool) -> Matrix? {
        forward(streams, caches: &caches, adapters: adapters, keepingInputOf: nil, stop: stop)?.hidden
    }

    /// Runs every stream in full.
    public func lockstepHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], stop: () -> Bool) -> Matrix? {
        hiddenStates(groups.flatMap { Array(repeating: $0, count: adapters.count) }, caches: &caches,
                     adapters: groups.flatMap { _ in adapters }, stop: stop)
    }

    /// Copies of `prefix` (the default; an engine that reads shared prefixes overrides it).
    public func makeCaches(_ count: Int, capacity: Int, startingWith prefix: KVCache) -> [KVCache] {
        (0..<count).map { _ in makeCache(capacity: capacity, copying: prefix) }
    }

    /// A cache of `capacity` positions starting with a copy of `prefix`'s positions (a system prompt
    /// computed once, reused; only valid for the adapter that computed it).
    public func makeCache(capacity: Int, copying prefix: KVCache) -> KVCache {
        var cache = makeCache(capacity: capacity)
        cache.fill(from: prefix)
        return cache
    }

    /// One decode step of M streams: stream i feeds `tokens[i]`; returns their hidden states `[M, C]`.
    public func step(_ tokens: [Int], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        hiddenStates(tokens.map { [$0] }, caches: &caches, adapters: adapters)
    }

    /// The last hidden state of each stream after running `streams`: `[M, C]`.
    public func lastHiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        lastHiddenStates(streams, caches: &caches, adapters: adapters, stop: { false })!
    }

    /// The same, nil when `stop` ended the pass early (see `hiddenStates(_:caches:adapters:stop:)`).
    public func lastHiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], stop: () -> Bool) -> Matrix? {
        hiddenStates(streams, caches: &caches, adapters: adapters, stop: stop).map { lastRows($0, lengths: streams.map(\.count)) }
    }

    /// Lockstep groups without a stop: `[Σ_g M·T_g, C]`.
    public func lockstepHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        lockstepHiddenStates(groups, caches: &caches, adapters: adapters, stop: { false })!
    }

    /// The last hidden state of each lockstep stream after running `groups`: `[G·M, C]`, group after group.
    public func lockstepLastHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        lockstepLastHiddenStates(groups, caches: &caches, adapters: adapters, stop: { false })!
    }

    /// The same, nil when `stop` ended the pass early.
    public func lockstepLastHiddenStates(_ groups: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?],
                                         stop: () -> Bool) -> Matrix? {
        lockstepHiddenStates(groups, caches: &caches, adapters: adapters, stop: stop)
            .map { lastRows($0, lengths: groups.flatMap { Array(repeating: $0.count, count: adapters.count) }) }
    }

    /// The last row of each stream's rows in `all` `[ΣTᵢ, C]` (streams of `lengths` rows, in order): `[M, C]`.
    public func lastRows(_ all: Matrix, lengths: [Int]) -> Matrix {
        let c = config.embeddingWidth
        var last = Matrix(rows: lengths.count, cols: c)                           // [M, C]
        var end = 0
        for (i, length) in lengths.enumerated() {
            end += length
            last.values.replaceSubrange((i * c)..<((i + 1) * c), with: all.values[((end - 1) * c)..<(end * c)])
        }
        return last
    }
}

extension LlamaModel: LanguageEngine {
    /// Runs each stream in turn (the reference: no sharing between streams); asks `stop` before the pass only.
    public func forward(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?], keepingInputOf keptBlock: Int?,
                        stop: () -> Bool) -> (hidden: Matrix, entering: Matrix?)? {
        precondition(streams.count == caches.count && streams.count == adapters.count, "one cache and one adapter slot per stream")
        guard !stop() else { return nil }
        let parts = streams.indices.map { forward(streams[$0], cache: &caches[$0], adapter: adapters[$0], keepingInputOf: keptBlock) }
        return (stacked(parts.map(\.hidden)), keptBlock.map { _ in stacked(parts.map { $0.entering! }) })
    }

    /// Runs each stream in turn from its residual rows (see the protocol).
    public func hiddenStates(entering residual: Matrix, block: Int, lengths: [Int], caches: inout [KVCache],
                             adapters: [LoRAAdapter?]) -> Matrix {
        precondition(lengths.count == caches.count && lengths.count == adapters.count, "one cache and one adapter slot per stream")
        precondition(residual.rows == lengths.reduce(0, +), "\(residual.rows) residual rows for streams of \(lengths.reduce(0, +)) positions")
        var start = 0
        return stacked(lengths.indices.map { i in
            defer { start += lengths[i] }
            return forward(residual.rows(start..<(start + lengths[i])), fromBlock: block, cache: &caches[i], adapter: adapters[i],
                           keepingInputOf: nil).hidden
        })
    }

    /// Matrices of the same width stacked row-wise: `[ΣNᵢ, C]`.
    func stacked(_ matrices: [Matrix]) -> Matrix {
        Matrix(rows: matrices.map(\.rows).reduce(0, +), cols: config.embeddingWidth, values: matrices.flatMap(\.values))
    }
}
