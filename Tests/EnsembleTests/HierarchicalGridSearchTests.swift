@testable import Ensemble
import Testing

@Suite struct HierarchicalGridSearchTests {
    /// A smooth bump with its maximum (1) at `peak`.
    func bump(_ peak: [Double]) -> ([Double]) -> Double {
        { w in 1 - zip(w, peak).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
    }

    @Test(arguments: [[0.3, 0.7, 0.55], [0.91, 0.12, 0.4], [0.0, 1.0, 0.5]])
    func findsTheMaximumIn3D(peak: [Double]) throws {
        var calls = 0
        let f = bump(peak)
        let result = try HierarchicalGridSearch(dimensions: 3).run(score: { calls += 1; return f($0) })
        #expect(result.evaluations == 135)
        #expect(result.distinctEvaluations == 103)
        #expect(calls == 103, "memoised points must not be scored again")
        for (found, truth) in zip(result.bestWeights, peak) {
            #expect(abs(found - truth) <= 1.0 / 32, "found \(result.bestWeights), peak \(peak)")
        }
    }

    @Test(arguments: [2, 4])
    func worksInOtherDimensions(d: Int) throws {
        let peak = (0..<d).map { 0.15 + 0.7 * Double($0) / Double(d) }
        let result = try HierarchicalGridSearch(dimensions: d).run(score: bump(peak))
        let perLevel = Int(pow3(d)), corners = 1 << d
        #expect(result.evaluations == 5 * perLevel)
        #expect(result.distinctEvaluations == perLevel + 4 * (perLevel - corners))
        for (found, truth) in zip(result.bestWeights, peak) { #expect(abs(found - truth) <= 1.0 / 32) }
    }

    func pow3(_ d: Int) -> Int { (0..<d).reduce(1) { a, _ in a * 3 } }

    @Test func boxesHalveAndNest() throws {
        let result = try HierarchicalGridSearch(dimensions: 3).run(score: bump([0.2, 0.2, 0.8]))
        for (outer, inner) in zip(result.boxes, result.boxes.dropFirst()) {
            for (o, i) in zip(outer, inner) {
                #expect(o.contains(i.lowerBound) && o.contains(i.upperBound))
                #expect(abs((i.upperBound - i.lowerBound) * 2 - (o.upperBound - o.lowerBound)) < 1e-12)
            }
        }
    }

    @Test func reportsProgressAndCancels() throws {
        var events: [HierarchicalGridSearch.Evaluation] = []
        var asked = 0
        #expect(throws: HierarchicalGridSearch.Cancelled.self) {
            _ = try HierarchicalGridSearch(dimensions: 3).run(
                score: bump([0.5, 0.5, 0.5]), onEvaluation: { events.append($0) },
                shouldContinue: { asked += 1; return asked <= 40 })
        }
        #expect(events.count >= 40 && events.count < 135)
        #expect(events.allSatisfy { $0.bestScore >= $0.score })
        #expect(events.first?.level == 1 && events.last?.level == 2)
    }

    @Test func isDeterministic() throws {
        let f = bump([0.33, 0.66, 0.1])
        let a = try HierarchicalGridSearch(dimensions: 3).run(score: f)
        let b = try HierarchicalGridSearch(dimensions: 3).run(score: f)
        #expect(a == b)
    }
}
