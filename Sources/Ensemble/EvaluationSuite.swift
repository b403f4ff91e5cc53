import Foundation
import LanguageModel
import Training

/// The paper's comparison over a folder of trained runs: which methods, from which adapters, weights and
/// training runs, seed by seed.
///
/// The folder holds, per seed k (what `emorl train --run` and `emorl search --out` write):
///
///     seed<k>/<objective>/                  a single-objective run per objective (adapters/<objective>/)
///     seed<k>/weighted/, seed<k>/dynaopt/   the baselines (emorl train --reward weighted|dynaopt)
///     seed<k>/search-<mode>/best.json       the searched weights per mode (emorl search --mode <mode>)
public struct EvaluationSuite: Sendable {
    public let root: URL
    public let objectives: [String]
    public let seeds: [Int]

    public init(root: URL, objectives: [String], seeds: [Int]) {
        self.root = root
        self.objectives = objectives
        self.seeds = seeds
    }

    /// One method on one seed: the adapters it combines, how, and what training them took.
    public struct Entry: Sendable {
        public var seed: Int?
        /// Empty for the untuned base.
        public var adapters: [URL]
        public var weights: [Double]
        public var mode: AggregationMode
        public var dataPoints: Int
        public var trainingSeconds: Double
    }

    /// A method's entries, and the reasons for the seeds it has none on.
    public struct Method: Sendable {
        public var name: String
        public var entries: [Entry]
        public var missing: [String]
    }

    /// The table's methods in the paper's order.
    public func methods() -> [Method] {
        var methods = [Method(name: "untuned base", entries: [Entry(seed: nil, adapters: [], weights: [1], mode: .hidden,
                                                                    dataPoints: 0, trainingSeconds: 0)], missing: [])]
        methods += objectives.map { objective in method("\(objective) only") { seed in try single(seed, run: objective) } }
        methods.append(method("uniform weighted") { seed in try single(seed, run: TrainerConfig.RewardMode.weighted.rawValue) })
        methods.append(method("DynaOpt") { seed in try single(seed, run: TrainerConfig.RewardMode.dynaopt.rawValue) })
        for (name, mode) in [("Model Soups (parameters, searched)", AggregationMode.parameters), ("logits (searched)", .logits),
                             ("EMORL (hidden, searched)", .hidden)] {
            methods.append(method(name) { seed in try ensemble(seed, mode: mode) })
        }
        return methods
    }

    /// A method over every seed; a seed whose inputs are missing becomes a reason instead of an entry.
    func method(_ name: String, entry: (Int) throws -> Entry) -> Method {
        var method = Method(name: name, entries: [], missing: [])
        for seed in seeds {
            do { method.entries.append(try entry(seed)) } catch { method.missing.append("seed \(seed): \(error)") }
        }
        return method
    }

    func seedFolder(_ seed: Int) -> URL { root.appendingPathComponent("seed\(seed)") }

    /// One adapter trained in run `name` of `seed`, at full weight.
    func single(_ seed: Int, run name: String) throws -> Entry {
        let (adapter, points, seconds) = try trained(RunDirectory(url: seedFolder(seed).appendingPathComponent(name)), adapter: name)
        return Entry(seed: seed, adapters: [adapter], weights: [1], mode: .hidden, dataPoints: points, trainingSeconds: seconds)
    }

    /// The objectives' adapters of `seed` with the weights its search in `mode` found; training summed over them.
    func ensemble(_ seed: Int, mode: AggregationMode) throws -> Entry {
        let runs = try objectives.map { try trained(RunDirectory(url: seedFolder(seed).appendingPathComponent($0)), adapter: $0) }
        let best = seedFolder(seed).appendingPathComponent("search-\(mode.rawValue)").appendingPathComponent(SearchLog.bestFileName)
        guard FileManager.default.fileExists(atPath: best.path) else {
            throw EnsembleError(message: "no \(best.path) (run emorl search --mode \(mode.rawValue))")
        }
        let searched = try SearchLog.Best(contentsOf: best, count: objectives.count)
        guard searched.mode == mode else {
            throw EnsembleError(message: "\(best.path) was searched in \(searched.mode.rawValue) mode, not \(mode.rawValue)")
        }
        return Entry(seed: seed, adapters: runs.map(\.adapter), weights: searched.weights, mode: mode,
                     dataPoints: runs.map(\.points).reduce(0, +), trainingSeconds: runs.map(\.seconds).reduce(0, +))
    }

    /// A run's adapter folder and its last logged data points and seconds.
    func trained(_ run: RunDirectory, adapter name: String) throws -> (adapter: URL, points: Int, seconds: Double) {
        let folder = run.adapterFolder(name)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(PEFTAdapter.configFile).path) else {
            throw EnsembleError(message: "no adapter at \(folder.path) (run emorl train --run \(run.url.path))")
        }
        guard let last = run.metrics().last else { throw EnsembleError(message: "\(run.metricsFile.path) has no steps") }
        return (folder, last.dataPoints, last.seconds)
    }
}
