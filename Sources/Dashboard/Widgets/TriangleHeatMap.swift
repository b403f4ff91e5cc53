/// One evaluated weight vector of the grid search.
public struct EvaluatedPoint: Hashable, Sendable {
    public var weights: [Double]
    public var score: Double
    /// The refinement level (1 = the first, coarsest grid).
    public var level: Int

    public init(weights: [Double], score: Double, level: Int) {
        self.weights = weights
        self.score = score
        self.level = level
    }
}

/// A heat map of the score over the weight triangle of three objectives.
///
/// Weights are shown normalised to sum 1 (barycentric): objective 1 at the top corner,
/// objective 2 bottom left, objective 3 bottom right. Each cell takes the score of the nearest
/// evaluated point; evaluated points show their level digit, the best a star, the sliders a `+`.
public struct TriangleHeatMap {
    public var labels: [String]
    public var points: [EvaluatedPoint]
    public var best: [Double]?
    public var current: [Double]?

    public init(labels: [String], points: [EvaluatedPoint], best: [Double]? = nil, current: [Double]? = nil) {
        self.labels = labels
        self.points = points
        self.best = best
        self.current = current
    }

    // MARK: - Geometry

    /// The triangle's rows (`height`) and apex column for `rect` (one row above and below for labels).
    static func shape(in rect: Rect) -> (height: Int, apex: Int) {
        let height = max(0, min(rect.height - 2, (rect.width + 1) / 2))
        return (height, rect.x + rect.width / 2)
    }

    /// The normalised weights at triangle cell (`column` from the apex, `row` from the top).
    static func weights(column: Int, row: Int, height: Int) -> [Double] {
        guard height > 1 else { return [1, 0, 0] }
        let t = Double(row) / Double(height - 1)
        let s = row == 0 ? 0.5 : Double(column + row) / Double(2 * row)
        return [1 - t, t * (1 - s), t * s]
    }

    /// The triangle cell (column offset from the apex, row) nearest to weights `w`; nil when all are 0.
    static func cell(for w: [Double], height: Int) -> (column: Int, row: Int)? {
        let sum = w.prefix(3).reduce(0, +)
        guard w.count >= 3, sum > 0, height > 0 else { return nil }
        let (b, c) = (w[1] / sum, w[2] / sum)
        let t = b + c
        let row = Int((t * Double(height - 1)).rounded())
        let s = t > 0 ? c / t : 0.5
        return (Int((s * Double(2 * row)).rounded()) - row, row)
    }

    // MARK: - Drawing

    public func draw(in rect: Rect, on screen: Screen, theme: Theme) {
        let (height, apex) = TriangleHeatMap.shape(in: rect)
        guard height > 0, labels.count >= 3 else { return }
        let g = Glyphs.for(screen)
        let top = rect.y + 1
        let scores = points.map(\.score)
        let low = scores.min() ?? 0, high = scores.max() ?? 1
        let located = points.compactMap { point -> (b: Double, c: Double, score: Double)? in
            let sum = point.weights.prefix(3).reduce(0, +)
            guard point.weights.count >= 3, sum > 0 else { return nil }
            return (point.weights[1] / sum, point.weights[2] / sum, point.score)
        }
        for row in 0..<height {
            for column in -row...row {
                let here = TriangleHeatMap.weights(column: column, row: row, height: height)
                let (character, style): (Character, Style)
                if let score = TriangleHeatMap.nearestScore(b: here[1], c: here[2], among: located) {
                    let t = high > low ? (score - low) / (high - low) : 1
                    character = g.shades[min(g.shades.count - 1, Int(t * Double(g.shades.count)))]
                    style = theme.scale(t)
                } else {
                    (character, style) = (g.shades[0], theme.muted)
                }
                screen.put(String(character), x: apex + column, y: top + row, style: style, clip: rect)
            }
        }
        for point in points.sorted(by: { $0.level < $1.level }) {
            mark(point.weights, String(point.level % 10), theme.text.with(.bold), height: height, apex: apex, top: top, rect: rect, on: screen)
        }
        if let current { mark(current, "+", theme.selected, height: height, apex: apex, top: top, rect: rect, on: screen) }
        if let best { mark(best, String(g.best), theme.good, height: height, apex: apex, top: top, rect: rect, on: screen) }
        let bottom = top + height
        screen.put(labels[0], x: apex - TextWidth.of(labels[0]) / 2, y: rect.y, style: theme.objective(0), clip: rect)
        screen.put(labels[1], x: apex - height + 1, y: bottom, style: theme.objective(1), clip: rect)
        screen.put(labels[2], x: apex + height - TextWidth.of(labels[2]), y: bottom, style: theme.objective(2), clip: rect)
    }

    /// The score of the located point nearest to (b, c) in the triangle (ties: the higher score).
    ///
    /// Two barycentric coordinates fix the third, so distances in (b, c) order points as in 3-d.
    private static func nearestScore(b: Double, c: Double, among located: [(b: Double, c: Double, score: Double)]) -> Double? {
        var best: (distance: Double, score: Double)?
        for point in located {
            let db = point.b - b, dc = point.c - c, da = db + dc
            let distance = db * db + dc * dc + da * da
            if let current = best, distance > current.distance + 1e-12 || (abs(distance - current.distance) <= 1e-12 && point.score <= current.score) {
                continue
            }
            best = (distance, point.score)
        }
        return best?.score
    }

    /// Draws `text` on the cell of weights `w`.
    private func mark(_ w: [Double], _ text: String, _ style: Style, height: Int, apex: Int, top: Int, rect: Rect, on screen: Screen) {
        guard let cell = TriangleHeatMap.cell(for: w, height: height) else { return }
        screen.put(text, x: apex + cell.column, y: top + cell.row, style: style, clip: rect)
    }
}
