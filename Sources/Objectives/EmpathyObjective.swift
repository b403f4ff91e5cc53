import Tensors

/// Empathy as EPITOME rates it: three mechanisms (emotional reactions, interpretations, explorations), each at
/// level 0 (none), 1 (weak) or 2 (strong), predicted from the response embedding by one head each.
///
/// score = mean over mechanisms of E[level] / 2 = mean of (p₁ + 2·p₂) / 2, in [0, 1].
public struct EmpathyObjective: Objective {
    public static let objectiveName = "empathy"
    /// The head roles, in EPITOME's order.
    public static let mechanisms = ["emotional_reactions", "interpretations", "explorations"]
    /// Levels 0, 1, 2.
    public static let levels = 3

    public let name = Self.objectiveName
    /// One head per mechanism, in `mechanisms` order.
    public let heads: [LinearHead]
    private let embedder: any SentenceEmbedder

    /// The objective of a head file, checked against the encoder in use (`encoder` describes `embedder`).
    public init(file: HeadFile, source: String, embedder: any SentenceEmbedder, encoder: EncoderIdentity) throws {
        try file.encoder.check(encoder, head: source)
        heads = try Self.mechanisms.map { try file.head($0, recipe: .response, source: source) }
        self.embedder = embedder
    }

    /// Heads trained just now, for the trainer's held-out evaluation.
    init(heads: [LinearHead], embedder: any SentenceEmbedder) {
        precondition(heads.count == Self.mechanisms.count && heads.allSatisfy { $0.classes == Self.levels })
        self.heads = heads
        self.embedder = embedder
    }

    /// The prompt is not read: EPITOME's seeker post added nothing to these heads (see data/scorers/empathy.md).
    public func score(prompts: [String], responses: [String]) throws -> [Double] {
        precondition(prompts.count == responses.count, "\(prompts.count) prompts for \(responses.count) responses")
        return Self.combine(levelProbabilities(responses))
    }

    /// Per mechanism, the level probabilities `[B, 3]`.
    public func levelProbabilities(_ responses: [String]) -> [Matrix] {
        guard !responses.isEmpty else { return heads.map { _ in Matrix(rows: 0, cols: Self.levels) } }
        let v = embedder.embed(responses)       // [B, C]
        return heads.map { $0.probabilities(v) }
    }

    /// The combined score per row of per-mechanism level probabilities.
    public static func combine(_ probabilities: [Matrix]) -> [Double] {
        let rows = probabilities.first?.rows ?? 0
        return (0..<rows).map { row in
            probabilities.reduce(0.0) { $0 + Double($1[row, 1] + 2 * $1[row, 2]) / 2 } / Double(probabilities.count)
        }
    }
}
