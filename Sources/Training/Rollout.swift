import Tensors

/// What one rollout produced: k responses per prompt and, when asked, the residual stream each sample's positions
/// entered the first adapted block with, so the backward starts there instead of recomputing the frozen base.
public struct Rollout: Sendable {
    /// Prompt-major: `responses[p·k + j]` is sample j of prompt p (its stop token kept).
    public var responses: [[Int]]
    /// Per sample, parallel to `responses`: the hidden state entering the kept block at every position the engine ran,
    /// the prompt's then the response's but its last token (which only ever is a target) `[P + R − 1, C]`.
    /// Empty when no block was kept. These are the rollout engine's states (the quantized one in `emorl train`).
    public var entering: [Matrix]
}
