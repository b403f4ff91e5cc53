import Foundation
import Tensors

/// A grid search on disk: `search.jsonl` gets one line per evaluation as it happens; `best.json` the answer.
public struct SearchLog {
    public static let fileName = "search.jsonl"
    public static let bestFileName = "best.json"
    public let folder: URL
    let handle: FileHandle

    /// Starts an empty `search.jsonl` in `folder` (created when missing).
    public init(folder: URL) throws {
        self.folder = folder
        let file = folder.appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try AtomicFile.write(Data(), to: file)
            handle = try FileHandle(forWritingTo: file)
        } catch {
            throw EnsembleError(message: "cannot write the search log \(file.path): \(error)")
        }
    }

    /// One line: the search's report of an evaluation and, for new points, the evaluation's per-objective means.
    public func append(_ step: HierarchicalGridSearch.Evaluation, result: EnsembleEvaluation.Result?, objectives: [String]) throws {
        var line: [String: Any] = [
            "level": step.level, "index": step.index, "weights": step.weights, "score": step.score, "memoised": step.memoised,
            "best_weights": step.bestWeights, "best_score": step.bestScore,
        ]
        if let result, !step.memoised {
            line["objectives"] = Dictionary(uniqueKeysWithValues: zip(objectives, result.objectiveMeans))
            line["mean_length"] = result.meanLength
            line["seconds"] = result.seconds
            line["mode"] = result.mode.rawValue
        }
        var data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        data.append(0x0A)
        try handle.write(contentsOf: data)
    }

    /// `best.json`, atomically: the best weights and score, the adapters they weigh (by folder name), the
    /// evaluation counts and the seconds it took.
    public func writeBest(_ result: HierarchicalGridSearch.Result, mode: AggregationMode, adapters: [String], seconds: Double) throws {
        let best: [String: Any] = [
            "weights": result.bestWeights, "score": result.bestScore, "mode": mode.rawValue, "adapters": adapters,
            "evaluations": result.evaluations, "distinct_evaluations": result.distinctEvaluations, "seconds": seconds,
        ]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: best, options: [.sortedKeys, .prettyPrinted]),
                             to: folder.appendingPathComponent(Self.bestFileName))
    }

    /// What `best.json` answers: the weights, their score and mode, and the adapters they weigh when recorded.
    public struct Best: Decodable, Sendable {
        public let weights: [Double]
        public let score: Double
        public let mode: AggregationMode
        /// The adapters' folder names, in the weights' order (absent from files written before they were recorded).
        public let adapters: [String]?

        /// Reads `url`, whose weights must be finite and non-negative, `count` of them when given.
        public init(contentsOf url: URL, count: Int? = nil) throws {
            guard let data = try? Data(contentsOf: url) else { throw EnsembleError(message: "cannot read \(url.path)") }
            let best: Best
            do { best = try JSONDecoder().decode(Best.self, from: data) } catch {
                throw EnsembleError(message: "\(url.path): expected {\"weights\": [numbers], \"score\": a number, \"mode\": hidden, logits or parameters}: \(error)")
            }
            guard !best.weights.isEmpty, best.weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw EnsembleError(message: "\(url.path): expected finite non-negative weights, got \(best.weights)")
            }
            if let count, best.weights.count != count {
                throw EnsembleError(message: "\(url.path): expected \(count) weights, got \(best.weights.count)")
            }
            self = best
        }
    }
}
