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

    /// `best.json`, atomically: the best weights and score, the evaluation counts and the seconds it took.
    public func writeBest(_ result: HierarchicalGridSearch.Result, mode: AggregationMode, seconds: Double) throws {
        let best: [String: Any] = [
            "weights": result.bestWeights, "score": result.bestScore, "mode": mode.rawValue, "evaluations": result.evaluations,
            "distinct_evaluations": result.distinctEvaluations, "seconds": seconds,
        ]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: best, options: [.sortedKeys, .prettyPrinted]),
                             to: folder.appendingPathComponent(Self.bestFileName))
    }
}
