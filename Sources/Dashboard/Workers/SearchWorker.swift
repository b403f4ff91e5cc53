import Ensemble
import LanguageModel
import Synchronization

/// Runs the hierarchical grid search on a background thread: start, cancel, progress snapshots.
///
/// Each weight vector is scored by generating (greedy) for a few validation statements with the
/// ensemble and scoring the responses with a `SearchScore`. The search computes on its own copy of the
/// engine (`CoreShare.searchThreads` threads, its own prompt caches), never on generation's.
public final class SearchWorker: Sendable {
    /// The latest status of the search.
    public let status = Mailbox<SearchStatus>()

    private let engine: @Sendable () -> (any ReflectionEngine)?
    private let score: any SearchScore
    private let statements: [String]
    private let levels: Int
    private let maxNewTokens: Int
    private let running = Atomic<Bool>(false)
    private let cancelled = Atomic<Bool>(false)
    private let thread = Mutex<WorkerThread?>(nil)

    /// A worker scoring with `score` on `statements`; `engine` gives the loaded engine (nil while loading).
    public init(engine: @escaping @Sendable () -> (any ReflectionEngine)?, score: any SearchScore, statements: [String],
                levels: Int = 5, maxNewTokens: Int = 32) {
        self.engine = engine
        self.score = score
        self.statements = statements
        self.levels = levels
        self.maxNewTokens = maxNewTokens
    }

    /// Whether a search is running.
    public var isRunning: Bool { running.load(ordering: .relaxed) }

    /// Starts a search over `dimensions` weights in `mode`, unless one is running.
    public func start(dimensions: Int, mode: AggregationMode) {
        var initial = SearchStatus(state: .running, levels: levels, plannedEvaluations: levels * power3(dimensions))
        initial.scoreName = score.name
        guard let engine = engine() else {
            initial.state = .failed("the model is still loading")
            status.post(initial)
            return
        }
        guard !running.exchange(true, ordering: .sequentiallyConsistent) else { return }
        cancelled.store(false, ordering: .sequentiallyConsistent)
        status.post(initial)
        let first = initial
        let started = WorkerThread.start("emorl.search", priority: .background) { [self] in
            defer { running.store(false, ordering: .sequentiallyConsistent) }
            var current = first
            do {
                let own = try engine.onOwnThreads(CoreShare.searchThreads)
                let search = HierarchicalGridSearch(dimensions: dimensions, levels: levels)
                let result = try search.run(
                    score: { weights in try evaluate(weights, mode: mode, on: own) },
                    onEvaluation: { evaluation in
                        current.level = evaluation.level
                        current.evaluations += 1
                        if !evaluation.memoised {
                            current.uniqueEvaluations += 1
                            current.points.append(EvaluatedPoint(weights: evaluation.weights, score: evaluation.score, level: evaluation.level))
                        }
                        current.bestWeights = evaluation.bestWeights
                        current.bestScore = evaluation.bestScore
                        status.post(current)
                    },
                    shouldContinue: { !cancelled.load(ordering: .relaxed) })
                current.bestWeights = result.bestWeights
                current.bestScore = result.bestScore
                current.state = .done
            } catch is HierarchicalGridSearch.Cancelled {
                current.state = .cancelled
            } catch {
                current.state = .failed("\(error)")
            }
            status.post(current)
        }
        thread.withLock { $0 = started }
    }

    /// Asks a running search to stop at once (its engine asks between blocks of a pass).
    public func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
    }

    /// Cancels a running search and waits up to `seconds` for its thread to end; whether it did.
    @discardableResult
    public func stop(seconds: Double) -> Bool {
        cancel()
        return thread.withLock { $0 }?.join(seconds: seconds) ?? true
    }

    /// The score of `weights`: greedy responses to the statements, scored together.
    private func evaluate(_ weights: [Double], mode: AggregationMode, on engine: any ReflectionEngine) throws -> Double {
        guard weights.contains(where: { $0 > 0 }) else { return 0 }   // all-zero weights mix nothing
        let responses = try statements.map { statement in
            var text = ""
            _ = try engine.reflect(statement, blend: .ensemble(weights: weights, mode: mode), sampling: .greedy, seed: 0,
                                   maxNewTokens: maxNewTokens, cancelled: { cancelled.load(ordering: .relaxed) }) { text += $0 }
            return text
        }
        return try score.score(statements: statements, responses: responses)
    }

    private func power3(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 3 } }
}
