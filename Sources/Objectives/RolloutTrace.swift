import Tensors

/// What a rollout engine already computed for a batch of sampled responses, so that an objective that runs the
/// frozen base model can start where the rollout's adapter starts instead of at the embeddings.
///
/// Exact when no adapter touched the blocks below `block`: the residual entering it is then the base model's.
public struct RolloutTrace: Sendable {
    /// Each prompt's tokens (the counselor chat prompt); sample i answers prompt `i / samplesPerPrompt`.
    public let prompts: [[Int]]
    public let samplesPerPrompt: Int
    /// Each sample's response tokens, without a stop token.
    public let responses: [[Int]]
    /// Each sample's residual rows entering `block` for its prompt and then its fed response tokens:
    /// `[Pᵢ + Fᵢ, C]` with Fᵢ ≥ (response length − 1), as the rollout kept them.
    public let entering: [Matrix]
    /// The block the residual rows enter.
    public let block: Int

    public init(prompts: [[Int]], samplesPerPrompt: Int, responses: [[Int]], entering: [Matrix], block: Int) {
        precondition(responses.count == prompts.count * samplesPerPrompt && entering.count == responses.count,
                     "one response and one residual per sample")
        for (i, rows) in entering.enumerated() {
            precondition(rows.rows >= prompts[i / samplesPerPrompt].count + responses[i].count - 1,
                         "sample \(i): \(rows.rows) residual rows for a prompt of \(prompts[i / samplesPerPrompt].count) and a response of \(responses[i].count)")
        }
        self.prompts = prompts
        self.samplesPerPrompt = samplesPerPrompt
        self.responses = responses
        self.entering = entering
        self.block = block
    }
}

/// An objective that can score a rollout from its trace (the trainer prefers this over scoring the texts).
public protocol RolloutScoring: Objective {
    /// One score in [0, 1] per sample of `trace`, as `score(prompts:responses:)` gives for the same tokens.
    func score(_ trace: RolloutTrace) throws -> [Double]
}
