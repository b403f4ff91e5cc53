import Foundation
@testable import Dashboard

/// Deterministic states for snapshot and layout tests.
enum SampleStates {
    static let names = ["reflection", "empathy", "fluency", "specificity", "brevity"]

    /// A reward curve that rises with noise, deterministic in `seed`.
    static func curve(steps: Int, seed: Int) -> [CurvePoint] {
        (0..<steps).map { step in
            let t = Double(step)
            let trend: Double = -1.6 + 1.2 * (1 - 1 / (1 + t / 40)) + 0.1 * Double(seed)
            let phase: Double = t * 1.7 + Double(seed)
            let wobble: Double = t * 0.31 * Double(seed + 1)
            let noise: Double = 0.18 * sin(phase) * cos(wobble)
            return CurvePoint(step: step, reward: trend + noise, validation: step % 8 == 0 ? trend : nil)
        }
    }

    /// Objectives in every training state, with curves of different lengths.
    static func objectives(_ count: Int) -> [ObjectiveStatus] {
        let states: [TrainingState] = [.running, .paused, .converged, .idle, .failed("out of memory")]
        return (0..<count).map { i in
            let steps = [180, 120, 240, 0, 60][i]
            return ObjectiveStatus(name: names[i], colorIndex: i, curve: curve(steps: steps, seed: i),
                                   reward: steps > 0 ? -0.55 - 0.1 * Double(i) : nil, validationMean: steps > 0 ? 0.61 + 0.05 * Double(i) : nil,
                                   dataPoints: steps * 16, seconds: Double(steps) * 7.5, stepsPerMinute: steps > 0 ? 8.2 - Double(i) : nil,
                                   state: states[i])
        }
    }

    /// Grid-search points of the first level and part of the second.
    static func points(dimensions: Int) -> [EvaluatedPoint] {
        var points: [EvaluatedPoint] = []
        let grid = [0.0, 0.5, 1.0]
        for index in 0..<Int(pow3(dimensions)) {
            var rest = index
            let weights = (0..<dimensions).map { _ -> Double in defer { rest /= 3 }; return grid[rest % 3] }
            let score = 0.4 + 0.3 * weights[0] + 0.2 * weights[1] - 0.1 * abs(weights[dimensions - 1] - 0.5)
            points.append(EvaluatedPoint(weights: weights, score: score, level: 1))
        }
        for (a, b) in [(0.75, 0.25), (0.75, 0.5), (1.0, 0.25)] {
            let weights = [a, b] + Array(repeating: 0.5, count: dimensions - 2)
            points.append(EvaluatedPoint(weights: weights, score: 0.4 + 0.3 * a + 0.2 * b + 0.02, level: 2))
        }
        return points
    }

    private static func pow3(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 3 } }

    /// A busy dashboard: training, a finished reflection with scores, a search half way.
    static func rich(objectives count: Int = 3) -> DashboardState {
        let points = points(dimensions: count)
        let best = points.max { $0.score < $1.score }!
        var state = DashboardState(objectives: objectives(count), weights: [0.8, 0.35, 1.0, 0.5, 0.1].prefix(count).map { $0 })
        state.reflection = ReflectionStatus(
            statement: "I keep telling myself I'll cut down on drinking, but every Friday my friends call and I just go along with it.",
            source: "AnnoMI 12/200",
            text: "It sounds like part of you really wants to drink less, and it's hard to say no when your friends are counting on you.",
            scores: [0.82, 0.64, 0.91, 0.4, 0.7].prefix(count).map { $0 }, firstTokenSeconds: 0.084, totalSeconds: 1.24, state: .done)
        state.search = SearchStatus(state: .running, level: 2, levels: 5, evaluations: points.count, uniqueEvaluations: points.count,
                                    plannedEvaluations: 5 * Int(pow3(count)), bestWeights: best.weights, bestScore: best.score, points: points)
        state.focus = .weights
        state.selectedObjective = 1
        return state
    }

    /// A fresh dashboard: nothing trained, nothing searched, the model loading.
    static func empty(objectives count: Int = 3) -> DashboardState {
        var state = DashboardState(objectives: (0..<count).map { ObjectiveStatus(name: names[$0], colorIndex: $0) })
        state.reflection = ReflectionStatus(state: .loading("SmolLM2-135M 40%"))
        return state
    }
}
