import Testing
import Tensors
@testable import Objectives

/// The head trainer on toy data and the metrics on hand-computed cases.
struct HeadTrainerAndMetricsTests {
    @Test func aSeparableProblemIsLearnedDeterministically() {
        var random = SeededRandom(seed: 7)
        let n = 200
        var x = Matrix(rows: n, cols: 3)
        var labels: [Int] = []
        for row in 0..<n {
            let label = row % 3
            labels.append(label)
            for col in 0..<3 { x[row, col] = (col == label ? 1 : 0) + 0.3 * (random.nextUnitFloat() - 0.5) }
        }
        let trainer = HeadTrainer(steps: 200)
        let head = trainer.fit(x, labels: labels, classes: 3)
        #expect(head == trainer.fit(x, labels: labels, classes: 3))
        let p = head.probabilities(x)
        let predicted = (0..<n).map { VectorMath.argmax(p.values[($0 * 3)..<($0 * 3 + 3)]) }
        #expect(Metrics.accuracy(predicted: predicted, actual: labels) == 1)
    }

    @Test func aurocCountsTiesAsHalf() {
        #expect(Metrics.auroc(positives: [3, 4], negatives: [1, 2]) == 1)
        #expect(Metrics.auroc(positives: [1], negatives: [2]) == 0)
        #expect(Metrics.auroc(positives: [1, 3], negatives: [1, 2]) == 0.625)
    }

    @Test func spearmanAndMacroF1() {
        #expect(Metrics.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(abs(Metrics.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
        #expect(Metrics.spearman([1, 1, 1], [1, 2, 3]) == 0)
        // class 0: P 2 A 2 TP 1 → 0.5; class 1: P 1 A 2 TP 1 → 2/3; class 2: P 1 A 0 → 0
        let f1 = Metrics.macroF1(predicted: [0, 0, 1, 2], actual: [0, 1, 1, 0], classes: 3)
        #expect(abs(f1 - (0.5 + 2.0 / 3) / 3) < 1e-12)
    }

    @Test func recentEmbeddingsEmbedEachTextOnceAndStayBounded() {
        let fake = FakeEmbedder()
        let cache = RecentEmbeddings(fake, capacity: 2)
        let first = cache.embed(["a", "b", "a"])
        #expect(fake.calls == 2)
        #expect(first.row(0) == first.row(2) && first == fake.embed(["a", "b", "a"]))
        _ = cache.embed(["a", "b"])
        #expect(fake.calls == 2 + 3)        // the check above embedded 3; a and b were still held
        _ = cache.embed(["c", "d", "e"])    // fills a new generation, drops the one holding a and b
        _ = cache.embed(["a"])
        #expect(fake.calls == 2 + 3 + 3 + 1)
    }

    @Test func pairFeaturesAreUVProductsDistancesAndCosine() {
        let u = Matrix(rows: 1, cols: 2, values: [1, 0]), v = Matrix(rows: 1, cols: 2, values: [0.6, 0.8])
        let x = FeatureRecipe.pair.features(client: u, response: v)
        #expect(zip(x.values, [1, 0, 0.6, 0.8, 0.6, 0, 0.4, 0.8, 0.6] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(FeatureRecipe.pair.width(dimension: 2) == 9)
    }

    @Test func reflectionCombinesInLogSpace() {
        #expect(abs(ReflectionObjective.combine(form: 0, match: 0, matchWeight: 2) - 0.125) < 1e-12)
        #expect(ReflectionObjective.combine(form: 800, match: 800, matchWeight: 1) == 1)
        #expect(ReflectionObjective.combine(form: -800, match: 0, matchWeight: 1) == 0)
    }
}

/// What reflection and empathy cost together on a batch shaped like one trainer step, and how reflection's
/// match weight is chosen.
struct SharedScoringTests {
    @Test func reflectionAndEmpathyEmbedEachPromptAndResponseOnceAStep() throws {
        let fake = FakeEmbedder()
        let embedder = RecentEmbeddings(fake)
        let tokenizer = try WordPieceTokenizer(tokens: WordPieceTokenizerTests.tiny)
        let c = fake.dimension
        let reflection = ReflectionObjective(form: LinearHead(classes: 2, features: c),
                                             match: LinearHead(classes: 2, features: FeatureRecipe.pair.width(dimension: c)),
                                             matchWeight: 1, embedder: embedder, tokenizer: tokenizer)
        let empathy = EmpathyObjective(heads: EmpathyObjective.mechanisms.map { _ in LinearHead(classes: 3, features: c) }, embedder: embedder)
        // 16 prompts × 3 samples, as the trainer scores a step.
        let prompts = (0..<48).map { "client statement \($0 / 3)" }, responses = (0..<48).map { "response \($0)" }
        _ = try reflection.score(prompts: prompts, responses: responses)
        _ = try empathy.score(prompts: prompts, responses: responses)
        #expect(fake.calls == 16 + 48)
    }

    @Test func theMatchWeightMaximisesTheSmallerAUROC() {
        // By sum, w 0.5 would win (1.70); the smaller AUROC is highest at w 1 (0.82).
        let candidates = [(weight: 0.5, form: 0.90, content: 0.80), (weight: 1.0, form: 0.84, content: 0.82),
                          (weight: 2.0, form: 0.70, content: 0.90)]
        #expect(ReflectionTrainer.maximin(candidates) == 1.0)
        #expect(ReflectionTrainer.maximin([(weight: 3, form: 0.5, content: 0.5), (weight: 4, form: 0.5, content: 0.5)]) == 3)
    }
}
