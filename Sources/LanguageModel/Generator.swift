import Foundation
import Tensors

/// What one generation produced, with its timings.
public struct Generation: Sendable, Codable, Equatable {
    /// The new tokens, without the prompt (the stop token, if reached, is not included).
    public var tokens: [Int]
    /// Why generation ended.
    public var stopReason: StopReason
    /// Seconds spent on the prompt.
    public var prefillSeconds: Double
    /// Seconds spent producing the new tokens.
    public var decodeSeconds: Double

    public init(tokens: [Int], stopReason: StopReason, prefillSeconds: Double, decodeSeconds: Double) {
        self.tokens = tokens
        self.stopReason = stopReason
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
    }

    public enum StopReason: String, Sendable, Codable {
        case stopToken = "stop_token", maxTokens = "max_tokens", cancelled
    }
}

/// Autoregressive decoding of one sequence: prefill the prompt, then one token at a time from the KV cache.
public struct Generator: Sendable {
    public let model: any LanguageEngine

    public init(model: any LanguageEngine) {
        self.model = model
    }

    /// Generates up to `maxNewTokens` after `prompt` (with an optional adapter); `onToken` gets each new token and returns false to stop.
    public func generate(
        prompt: [Int], maxNewTokens: Int, sampler: inout Sampler, stopTokens: Set<Int>, adapter: LoRAAdapter? = nil,
        onToken: (Int) -> Bool = { _ in true }
    ) -> Generation {
        precondition(!prompt.isEmpty, "generation needs at least one prompt token")
        var caches = [model.makeCache(capacity: prompt.count + maxNewTokens)]
        let v = model.config.vocabularySize
        let start = Date()
        var last = model.logits(model.lastHiddenStates([prompt], caches: &caches, adapters: [adapter]))   // [1, V]
        let prefillSeconds = Date().timeIntervalSince(start)
        var tokens: [Int] = []
        var reason = Generation.StopReason.maxTokens
        while tokens.count < maxNewTokens {
            let token = sampler.sample(last.values[0..<v])
            if stopTokens.contains(token) { reason = .stopToken; break }
            tokens.append(token)
            if !onToken(token) { reason = .cancelled; break }
            if tokens.count == maxNewTokens { break }
            last = model.logits(model.step([token], caches: &caches, adapters: [adapter]))
        }
        return Generation(tokens: tokens, stopReason: reason, prefillSeconds: prefillSeconds,
                          decodeSeconds: Date().timeIntervalSince(start) - prefillSeconds)
    }
}
