import Corpus
import Tensors

/// Trains the empathy scorer's three mechanism heads on EPITOME and measures them on held-out seeker posts.
///
/// Each head maps the response embedding to level 0/1/2 of one mechanism. The L2 penalty is the grid value
/// with the best validation Spearman of the combined score against the sum of human levels. For comparison,
/// the same heads on `.pair` features of (seeker post, response) are trained and measured too (not shipped).
public struct EmpathyTrainer: Sendable {
    /// Candidate L2 penalties.
    public static let penalties: [Float] = [3e-5, 1e-4, 3e-4, 1e-3]

    public let embedder: any SentenceEmbedder
    public let seed: UInt64
    public var trainer = HeadTrainer()

    public init(embedder: any SentenceEmbedder, seed: UInt64) {
        self.embedder = embedder
        self.seed = seed
    }

    /// The trained heads (in `EmpathyObjective.mechanisms` order), held-out metrics and split counts.
    public func train(_ responses: [EpitomeResponse]) throws -> (heads: [LinearHead], metrics: [String: Double], counts: [String: Int]) {
        let split = GroupSplit(groups: responses.map(\.seekerPostID), seed: seed)
        let side = Dictionary(uniqueKeysWithValues: GroupSplit<String>.Side.allCases.map { s in
            (s, split.indices(of: responses, on: s, group: \.seekerPostID))
        })
        let mechanisms = EpitomeRecord.Mechanism.allCases
        for mechanism in mechanisms {
            let levels = Set(side[.train]!.map { responses[$0][mechanism].rawValue })
            guard levels.count == EmpathyObjective.levels else {
                throw ScorerError.unusableData(reason: "EPITOME training posts lack some \(mechanism.rawValue) levels (have \(levels.sorted()))")
            }
        }
        let v = embedder.embed(responses.map(\.response))          // [N, C]
        let totals = responses.map { Double($0.totalLevel) }

        /// Heads for features x `[N, F]` trained on the train side with penalty `l2`.
        func fit(_ x: Matrix, l2: Float) -> [LinearHead] {
            var t = trainer
            t.l2 = l2
            let rows = side[.train]!, features = x.gathering(rows: rows)
            return mechanisms.map { m in t.fit(features, labels: rows.map { responses[$0][m].rawValue }, classes: EmpathyObjective.levels) }
        }
        /// Spearman of the combined score against the sum of levels on `indices`.
        func spearman(_ heads: [LinearHead], _ x: Matrix, _ indices: [Int]) -> Double {
            let features = x.gathering(rows: indices)
            return Metrics.spearman(EmpathyObjective.combine(heads.map { $0.probabilities(features) }), indices.map { totals[$0] })
        }
        /// The heads of the best penalty on validation.
        func select(_ x: Matrix) -> (heads: [LinearHead], l2: Float) {
            Self.penalties.map { l2 in (fit(x, l2: l2), l2) }.max { spearman($0.0, x, side[.validation]!) < spearman($1.0, x, side[.validation]!) }!
        }

        let (heads, l2) = select(v)
        let test = side[.test]!, features = v.gathering(rows: test)
        var metrics: [String: Double] = ["spearman_combined_vs_level_sum": spearman(heads, v, test), "l2": Double(l2)]
        for (m, head) in zip(mechanisms, heads) {
            let p = head.probabilities(features)
            let predicted = (0..<p.rows).map { row in VectorMath.argmax(p.values[(row * 3)..<(row * 3 + 3)]) }
            let actual = test.map { responses[$0][m].rawValue }
            let key = m.rawValue.replacingOccurrences(of: "-", with: "_")
            metrics["\(key)_accuracy"] = Metrics.accuracy(predicted: predicted, actual: actual)
            metrics["\(key)_macro_f1"] = Metrics.macroF1(predicted: predicted, actual: actual, classes: 3)
            for level in 0..<3 { metrics["\(key)_test_level_\(level)"] = Double(actual.filter { $0 == level }.count) }
        }
        let seekers = embedder.embed(responses.map(\.seekerPost))
        let pair = FeatureRecipe.pair.features(client: seekers, response: v)
        metrics["with_seeker_post_spearman"] = spearman(select(pair).heads, pair, test)
        let counts = Dictionary(uniqueKeysWithValues: side.map { ($0.key.rawValue, $0.value.count) })
            .merging(["seeker_posts": Set(responses.map(\.seekerPostID)).count]) { a, _ in a }
        return (heads, metrics, counts)
    }
}
