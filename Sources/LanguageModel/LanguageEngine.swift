import Tensors

/// What generation, the ensemble and the trainer's rollouts need from a model: several streams over one
/// base, each with its own KV cache and optional LoRA adapter, and the shared head.
///
/// `LlamaModel` (f32, the reference) and the quantized engine both provide it.
public protocol LanguageEngine: Sendable {
    var config: LlamaConfig { get }
    /// An empty KV cache for `capacity` positions.
    func makeCache(capacity: Int) -> KVCache
    /// Stream i runs `streams[i]` after the positions in `caches[i]` with `adapters[i]`; returns the final-norm
    /// hidden states `[ΣTᵢ, C]`, stream after stream, and, when `keptBlock` is given, the residual stream entering
    /// that block `[ΣTᵢ, C]` (the trainer keeps it so its backward starts there).
    func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?],
                      keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?)
    /// Next-token logits through the shared head: `[N, C]` → `[N, V]`.
    func logits(_ hidden: Matrix) -> Matrix
}

extension LanguageEngine {
    /// Stream i runs `streams[i]` after the positions in `caches[i]` with `adapters[i]`;
    /// returns the final-norm hidden states `[ΣTᵢ, C]`, stream after stream.
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        hiddenStates(streams, caches: &caches, adapters: adapters, keepingInputOf: nil).hidden
    }

    /// One decode step of M streams: stream i feeds `tokens[i]`; returns their hidden states `[M, C]`.
    public func step(_ tokens: [Int], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        hiddenStates(tokens.map { [$0] }, caches: &caches, adapters: adapters)
    }

    /// The last hidden state of each stream after running `streams`: `[M, C]`.
    public func lastHiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?]) -> Matrix {
        let all = hiddenStates(streams, caches: &caches, adapters: adapters)      // [ΣTᵢ, C]
        let c = config.embeddingWidth
        var last = Matrix(rows: streams.count, cols: c)                           // [M, C]
        var end = 0
        for (i, stream) in streams.enumerated() {
            end += stream.count
            last.values.replaceSubrange((i * c)..<((i + 1) * c), with: all.values[((end - 1) * c)..<(end * c)])
        }
        return last
    }
}

extension LlamaModel: LanguageEngine {
    /// Runs each stream in turn (the reference: no sharing between streams).
    public func hiddenStates(_ streams: [[Int]], caches: inout [KVCache], adapters: [LoRAAdapter?],
                             keepingInputOf keptBlock: Int?) -> (hidden: Matrix, entering: Matrix?) {
        precondition(streams.count == caches.count && streams.count == adapters.count, "one cache and one adapter slot per stream")
        let parts = streams.indices.map { forward(streams[$0], cache: &caches[$0], adapter: adapters[$0], keepingInputOf: keptBlock) }
        func stacked(_ matrices: [Matrix]) -> Matrix {
            Matrix(rows: matrices.map(\.rows).reduce(0, +), cols: config.embeddingWidth, values: matrices.flatMap(\.values))
        }
        return (stacked(parts.map(\.hidden)), keptBlock.map { _ in stacked(parts.map { $0.entering! }) })
    }
}
