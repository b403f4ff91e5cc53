/// EMORL's hierarchical grid search for aggregation weights in [0, 1]^d.
///
/// Each level evaluates a grid of 3 points per axis over the current box (its bounds and midpoints),
/// remembers the best point ever seen, then halves the box: of the 2^d sub-boxes whose corners are grid
/// points, it moves to the one whose corner scores sum highest. Evaluations are memoised, so the corners a
/// level shares with the previous one cost nothing: for d = 3 and 5 levels, 135 evaluations, 103 distinct.
public struct HierarchicalGridSearch: Sendable {
    /// Number of weights (objectives).
    public let dimensions: Int
    /// How many times the box is refined.
    public let levels: Int

    public init(dimensions: Int, levels: Int = 5) {
        precondition(dimensions >= 1 && dimensions <= 8, "grid search over \(dimensions) weights is not supported (1…8)")
        precondition(levels >= 1, "grid search needs at least one level")
        self.dimensions = dimensions
        self.levels = levels
    }

    /// One evaluation as the search reports it.
    public struct Evaluation: Sendable, Equatable, Codable {
        public var level: Int
        /// Index of the point within its level's grid (0 ..< 3^d).
        public var index: Int
        public var weights: [Double]
        public var score: Double
        /// True when the score came from the memo rather than a new evaluation.
        public var memoised: Bool
        public var bestWeights: [Double]
        public var bestScore: Double
    }

    /// The search's answer.
    public struct Result: Sendable, Equatable, Codable {
        public var bestWeights: [Double]
        public var bestScore: Double
        /// Evaluations requested over all levels (3^d per level).
        public var evaluations: Int
        /// Distinct points actually scored.
        public var distinctEvaluations: Int
        /// The box each level searched, as (lower, upper) per axis.
        public var boxes: [[ClosedRange<Double>]]
        /// Every distinct point with its score, in evaluation order.
        public var scored: [ScoredPoint]
    }

    /// A weight vector and its score.
    public struct ScoredPoint: Sendable, Equatable, Codable {
        public var weights: [Double]
        public var score: Double
    }

    /// Thrown by `run` when `shouldContinue` answered false.
    public struct Cancelled: Error {}

    /// Runs the search; `score` evaluates a weight vector (higher is better), `onEvaluation` reports progress,
    /// `shouldContinue` is asked before each new evaluation.
    public func run(
        score: ([Double]) throws -> Double,
        onEvaluation: (Evaluation) -> Void = { _ in },
        shouldContinue: () -> Bool = { true }
    ) throws -> Result {
        var box = [ClosedRange<Double>](repeating: 0...1, count: dimensions)
        var memo: [[Double]: Double] = [:]
        var scored: [ScoredPoint] = []
        var best: ScoredPoint?
        var boxes: [[ClosedRange<Double>]] = []
        let gridCount = power(3, dimensions)

        for level in 1...levels {
            boxes.append(box)
            var grid: [Double] = []       // [3^d] scores by grid index
            for index in 0..<gridCount {
                let weights = point(index, in: box)
                let cached = memo[weights]
                let value: Double
                if let cached {
                    value = cached
                } else {
                    guard shouldContinue() else { throw Cancelled() }
                    value = try score(weights)
                    memo[weights] = value
                    scored.append(ScoredPoint(weights: weights, score: value))
                }
                if best == nil || value > best!.score { best = ScoredPoint(weights: weights, score: value) }
                grid.append(value)
                onEvaluation(Evaluation(level: level, index: index, weights: weights, score: value, memoised: cached != nil,
                                        bestWeights: best!.weights, bestScore: best!.score))
            }
            box = bestSubBox(of: box, grid: grid)
        }
        return Result(bestWeights: best!.weights, bestScore: best!.score, evaluations: levels * gridCount,
                      distinctEvaluations: memo.count, boxes: boxes, scored: scored)
    }

    // MARK: - Grid geometry

    /// Grid index → per-axis digit in {0: lower, 1: middle, 2: upper}; axis 0 is the least significant digit.
    func digits(_ index: Int) -> [Int] {
        var rest = index
        return (0..<dimensions).map { _ in
            defer { rest /= 3 }
            return rest % 3
        }
    }

    /// The weights of grid point `index` in `box`.
    func point(_ index: Int, in box: [ClosedRange<Double>]) -> [Double] {
        zip(digits(index), box).map { digit, range in
            range.lowerBound + Double(digit) * (range.upperBound - range.lowerBound) / 2
        }
    }

    /// The half-size sub-box whose 2^d corner scores sum highest (the first such in index order on ties).
    func bestSubBox(of box: [ClosedRange<Double>], grid: [Double]) -> [ClosedRange<Double>] {
        var bestSum = -Double.infinity
        var bestHalves = [Int](repeating: 0, count: dimensions)
        for subBox in 0..<(1 << dimensions) {
            let halves = (0..<dimensions).map { (subBox >> $0) & 1 }    // 0: lower half, 1: upper half
            var sum = 0.0
            for corner in 0..<(1 << dimensions) {
                var index = 0, place = 1
                for axis in 0..<dimensions {
                    index += (halves[axis] + (corner >> axis) & 1) * place
                    place *= 3
                }
                sum += grid[index]
            }
            if sum > bestSum { bestSum = sum; bestHalves = halves }
        }
        return zip(box, bestHalves).map { range, half in
            let mid = (range.lowerBound + range.upperBound) / 2
            return half == 0 ? range.lowerBound...mid : mid...range.upperBound
        }
    }

    private func power(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { acc, _ in acc * base }
    }
}
