import Corpus
import Foundation
import Tensors

/// Trains the reflection scorer's two heads on AnnoMI and measures them on held-out transcripts.
///
/// Form head: response embedding → reflection (1) vs question, therapist input, other (0).
/// Match head: `.pair` features of (client side, response) → 1 for the true pair, 0 for the same response
/// with the client side of `negativesPerPair` pairs from other transcripts. The client side is the last ≤ 4
/// utterances (see `ClientContext`). The match weight w is the grid value whose smaller of the two combined
/// AUROCs on validation transcripts is highest; test transcripts are used only for the reported metrics.
public struct ReflectionTrainer: Sendable {
    /// Mismatched client sides per true pair in the match head's training data.
    public static let negativesPerPair = 3
    /// Candidate match weights.
    public static let matchWeights = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3]

    public let embedder: any SentenceEmbedder
    public let tokenizer: WordPieceTokenizer
    public let seed: UInt64
    public var trainer = HeadTrainer()

    public init(embedder: any SentenceEmbedder, tokenizer: WordPieceTokenizer, seed: UInt64) {
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.seed = seed
    }

    /// The trained heads, the chosen weight, held-out metrics, split counts, and the validation AUROCs of every weight.
    public func train(_ pairs: [AnnoMIPair]) throws -> (form: LinearHead, match: LinearHead, matchWeight: Double,
                                                        metrics: [String: Double], counts: [String: Int],
                                                        validation: [(weight: Double, form: Double, content: Double)]) {
        let split = GroupSplit(groups: pairs.map(\.transcriptID), seed: seed)
        let side = Dictionary(uniqueKeysWithValues: GroupSplit<Int>.Side.allCases.map { s in
            (s, split.indices(of: pairs, on: s, group: \.transcriptID))
        })
        let train = side[.train]!
        guard train.contains(where: { pairs[$0].behaviour == .reflection }), train.contains(where: { pairs[$0].behaviour != .reflection }) else {
            throw ScorerError.unusableData(reason: "the AnnoMI training transcripts need both reflections and other responses")
        }
        let context = ClientContext(tokenizer: tokenizer)
        let u = embedder.embed(pairs.map { context.text($0.context.map(\.text)) })     // [N, C]
        let v = embedder.embed(pairs.map(\.response))                                // [N, C]
        let isReflection = pairs.map { $0.behaviour == .reflection ? 1 : 0 }
        var random = SeededRandom(seed: seed &+ 1)

        // Form head: response only (`.response` features are v itself).
        let form = trainer.fit(v.gathering(rows: train),
                               labels: train.map { isReflection[$0] }, classes: 2)
        // Match head: each true pair and its mismatches.
        var clients: [Int] = [], responses: [Int] = [], labels: [Int] = []
        for i in train {
            clients.append(i); responses.append(i); labels.append(1)
            for _ in 0..<Self.negativesPerPair {
                clients.append(Self.mismatch(for: i, among: train, pairs: pairs, random: &random))
                responses.append(i); labels.append(0)
            }
        }
        let match = trainer.fit(FeatureRecipe.pair.features(client: u.gathering(rows: clients), response: v.gathering(rows: responses)),
                                labels: labels, classes: 2)

        /// Log-odds of both heads for (client side of `c`, response of `r`).
        func logOdds(clients c: [Int], responses r: [Int]) -> (form: [Double], match: [Double]) {
            let uc = u.gathering(rows: c), vr = v.gathering(rows: r)
            return (form.logOdds(vr), match.logOdds(FeatureRecipe.pair.features(client: uc, response: vr)))
        }
        /// Combined-score AUROCs on one side: form (reflection vs not, true pairs) and content (true vs mismatched).
        func evaluate(_ indices: [Int], weight: Double, random: inout SeededRandom) -> [String: Double] {
            let others = indices.map { Self.mismatch(for: $0, among: indices, pairs: pairs, random: &random) }
            let sameConversation = indices.map { Self.sameConversationMismatch(for: $0, among: indices, pairs: pairs, random: &random) }
            let truth = logOdds(clients: indices, responses: indices)
            let swapped = logOdds(clients: others, responses: indices)
            let near = logOdds(clients: sameConversation.enumerated().map { $1 ?? indices[$0] }, responses: indices)
            func combined(_ l: (form: [Double], match: [Double])) -> [Double] {
                zip(l.form, l.match).map { ReflectionObjective.combine(form: $0, match: $1, matchWeight: weight) }
            }
            let score = combined(truth), swappedScore = combined(swapped), nearScore = combined(near)
            let reflections = indices.indices.filter { isReflection[indices[$0]] == 1 }
            let others0 = indices.indices.filter { isReflection[indices[$0]] == 0 }
            let withNear = reflections.filter { sameConversation[$0] != nil }
            let complex = reflections.filter { pairs[indices[$0]].subtype == .complex }
            let simple = reflections.filter { pairs[indices[$0]].subtype == .simple }
            func auroc(_ a: [Double], _ p: [Int], _ b: [Double], _ n: [Int]) -> Double {
                Metrics.auroc(positives: p.map { a[$0] }, negatives: n.map { b[$0] })
            }
            return [
                "form_auroc": auroc(score, reflections, score, others0),
                "content_auroc_reflections": auroc(score, reflections, swappedScore, reflections),
                "content_auroc_all_responses": auroc(score, Array(indices.indices), swappedScore, Array(indices.indices)),
                "content_auroc_same_conversation": auroc(score, withNear, nearScore, withNear),
                "complex_vs_simple_auroc": auroc(score, complex, score, simple),
                "form_head_auroc": auroc(truth.form, reflections, truth.form, others0),
                "form_head_complex_vs_simple_auroc": auroc(truth.form, complex, truth.form, simple),
                "match_head_content_auroc_reflections": auroc(truth.match, reflections, swapped.match, reflections),
            ]
        }
        let validation = Self.matchWeights.map { weight in
            var r = SeededRandom(seed: seed &+ 2)
            let m = evaluate(side[.validation]!, weight: weight, random: &r)
            return (weight: weight, form: m["form_auroc"]!, content: m["content_auroc_reflections"]!)
        }
        let weight = Self.maximin(validation)
        var r = SeededRandom(seed: seed &+ 3)
        let chosen = validation.first { $0.weight == weight }!
        let metrics = evaluate(side[.test]!, weight: weight, random: &r)
            .merging(["validation_form_auroc": chosen.form, "validation_content_auroc_reflections": chosen.content]) { a, _ in a }
        let counts = Dictionary(uniqueKeysWithValues: side.map { ($0.key.rawValue, $0.value.count) })
            .merging(["train_reflections": train.filter { isReflection[$0] == 1 }.count,
                      "test_reflections": side[.test]!.filter { isReflection[$0] == 1 }.count,
                      "transcripts": Set(pairs.map(\.transcriptID)).count]) { a, _ in a }
        return (form, match, weight, metrics, counts, validation)
    }

    /// The weight whose smaller AUROC is highest (the first among equals): neither bar is traded away for the other.
    static func maximin(_ candidates: [(weight: Double, form: Double, content: Double)]) -> Double {
        precondition(!candidates.isEmpty, "no candidate match weights")
        return candidates.reduce(candidates[0]) { min($1.form, $1.content) > min($0.form, $0.content) ? $1 : $0 }.weight
    }

    /// A pair from another transcript among `candidates`, drawn uniformly.
    static func mismatch(for i: Int, among candidates: [Int], pairs: [AnnoMIPair], random: inout SeededRandom) -> Int {
        while true {
            let j = candidates[Int(random.next() % UInt64(candidates.count))]
            if pairs[j].transcriptID != pairs[i].transcriptID { return j }
        }
    }

    /// Another client turn of the same transcript among `candidates`, if there is one.
    static func sameConversationMismatch(for i: Int, among candidates: [Int], pairs: [AnnoMIPair], random: inout SeededRandom) -> Int? {
        let same = candidates.filter { pairs[$0].transcriptID == pairs[i].transcriptID && $0 != i }
        return same.isEmpty ? nil : same[Int(random.next() % UInt64(same.count))]
    }
}
