import Foundation
import Tensors

/// How well a response reflects what this client said: a *form* head (is the response a reflection at all?)
/// times a *match* head (is it about this client's statement?), so that a reflection-shaped reply about
/// anything else scores low.
///
/// score = σ(f)·σ(m)^w, i.e. log score = log σ(f) + w·log σ(m), with f the form head's log-odds on the
/// response embedding, m the match head's log-odds on `.pair` features of (client side, response), and w the
/// file's `match_weight` (chosen on validation transcripts by the trainer). Both heads are trained on AnnoMI.
public struct ReflectionObjective: Objective {
    public static let objectiveName = "reflection"
    /// The head file's parameter holding w.
    public static let matchWeightKey = "match_weight"

    public let name = Self.objectiveName
    public let form: LinearHead
    public let match: LinearHead
    public let matchWeight: Double
    private let embedder: any SentenceEmbedder
    private let context: ClientContext

    /// The objective of a head file, checked against the encoder in use (`encoder` describes `embedder`).
    public init(file: HeadFile, source: String, embedder: any SentenceEmbedder, encoder: EncoderIdentity,
                tokenizer: WordPieceTokenizer) throws {
        try file.encoder.check(encoder, head: source)
        form = try file.head("form", recipe: .response, source: source)
        match = try file.head("match", recipe: .pair, source: source)
        matchWeight = try file.parameter(Self.matchWeightKey, source: source)
        self.embedder = embedder
        self.context = ClientContext(tokenizer: tokenizer)
    }

    /// Heads trained just now, for the trainer's held-out evaluation.
    init(form: LinearHead, match: LinearHead, matchWeight: Double, embedder: any SentenceEmbedder, tokenizer: WordPieceTokenizer) {
        self.form = form
        self.match = match
        self.matchWeight = matchWeight
        self.embedder = embedder
        self.context = ClientContext(tokenizer: tokenizer)
    }

    public func score(prompts: [String], responses: [String]) throws -> [Double] {
        try score(contexts: prompts.map { [$0] }, responses: responses)
    }

    /// Scores with a client side of several utterances each (oldest first, the client's last).
    public func score(contexts: [[String]], responses: [String]) throws -> [Double] {
        let (f, m) = logOdds(contexts: contexts, responses: responses)
        return zip(f, m).map { Self.combine(form: $0, match: $1, matchWeight: matchWeight) }
    }

    /// The two heads' log-odds per pair: `([B], [B])`.
    public func logOdds(contexts: [[String]], responses: [String]) -> (form: [Double], match: [Double]) {
        precondition(contexts.count == responses.count, "\(contexts.count) prompts for \(responses.count) responses")
        guard !responses.isEmpty else { return ([], []) }
        let b = responses.count
        let embeddings = embedder.embed(contexts.map(context.text) + responses)     // [2B, C]
        let u = embeddings.rows(0..<b), v = embeddings.rows(b..<(2 * b))
        return (form.logOdds(FeatureRecipe.response.features(client: u, response: v)),
                match.logOdds(FeatureRecipe.pair.features(client: u, response: v)))
    }

    /// σ(f)·σ(m)^w, computed in log space.
    public static func combine(form f: Double, match m: Double, matchWeight w: Double) -> Double {
        exp(logSigmoid(f) + w * logSigmoid(m))
    }

    /// log σ(z), stable for large |z|.
    static func logSigmoid(_ z: Double) -> Double {
        z >= 0 ? -log1p(exp(-z)) : z - log1p(exp(z))
    }
}
