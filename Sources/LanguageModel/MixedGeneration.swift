import Foundation
import Tensors

/// EMORL's hidden-state ensemble on the quantized engine: M adapters over one base, decoded in lockstep.
extension QuantizedLlama {
    /// Prefills `prompt` in every stream (one pass over the weights for all of them), then decodes: at each
    /// step Σ wᵢ·hiddenᵢ `[1, C]` goes through the shared head, the sampled token feeds every stream.
    ///
    /// `prefixes[i]`, when given, holds the first positions of `prompt` already computed with `adapters[i]`
    /// (a system prompt computed once); only the rest of the prompt is run.
    public func generateMixed(
        prompt: [Int], adapters: [LoRAAdapter?], weights: [Float], maxNewTokens: Int, sampler: inout Sampler,
        stopTokens: Set<Int>, prefixes: [KVCache]? = nil, onToken: (Int) -> Bool = { _ in true }
    ) -> Generation {
        precondition(adapters.count == weights.count && !adapters.isEmpty, "one weight per stream")
        let m = adapters.count, c = config.embeddingWidth, v = config.vocabularySize
        let start = Date()
        var caches = (0..<m).map { makeCache(capacity: prompt.count + maxNewTokens, copying: prefixes?[$0]) }
        let done = caches[0].count
        precondition(caches.allSatisfy { $0.count == done } && done < prompt.count, "prefixes must share a length shorter than the prompt")
        let rest = Array(prompt[done...])
        let prefill = hiddenStates(Array(repeating: rest, count: m), caches: &caches, adapters: adapters)  // [M·T, C]
        var hidden = Matrix(rows: m, cols: c)                                                              // [M, C]
        for i in 0..<m {
            let last = (i + 1) * rest.count - 1
            hidden.values.replaceSubrange((i * c)..<((i + 1) * c), with: prefill.values[(last * c)..<((last + 1) * c)])
        }
        var logits = self.logits(Self.mix(hidden, weights: weights))
        let prefillSeconds = Date().timeIntervalSince(start)
        var tokens: [Int] = []
        var reason = Generation.StopReason.maxTokens
        while tokens.count < maxNewTokens {
            let token = sampler.sample(logits.values[0..<v])
            if stopTokens.contains(token) { reason = .stopToken; break }
            tokens.append(token)
            if !onToken(token) { reason = .cancelled; break }
            if tokens.count == maxNewTokens { break }
            hidden = step(Array(repeating: token, count: m), caches: &caches, adapters: adapters)
            logits = self.logits(Self.mix(hidden, weights: weights))
        }
        return Generation(tokens: tokens, stopReason: reason, prefillSeconds: prefillSeconds,
                          decodeSeconds: Date().timeIntervalSince(start) - prefillSeconds)
    }

    /// Σ wᵢ·hidden_i: `[M, C]` → `[1, C]`.
    static func mix(_ hidden: Matrix, weights: [Float]) -> Matrix {
        var mixed = Matrix(rows: 1, cols: hidden.cols)
        for (i, w) in weights.enumerated() {
            for j in 0..<hidden.cols { mixed.values[j] += w * hidden.values[i * hidden.cols + j] }
        }
        return mixed
    }
}
