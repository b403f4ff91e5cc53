import Corpus
import Ensemble
import Foundation
import LanguageModel
import Objectives
import Tensors

/// What `emorl dashboard` was asked to open.
public struct DashboardOptions: Sendable {
    /// The GGUF model (checked when the generation worker loads it, so a missing file shows in the UI).
    public var modelPath: String
    /// The run directory to follow and train into (created when missing); nil for none.
    public var runDirectory: URL?
    /// A theme name from `themes/` or a `.theme` file path.
    public var theme: String?
    /// The objectives' names, 2 to 5.
    public var objectives: [String]
    public var dataDirectory: URL
    /// The longest reflection, in tokens.
    public var maxNewTokens: Int
    /// Builds an objective by name for training; nil: this dashboard only follows runs.
    public var makeObjective: TrainerDriver.ObjectiveFactory?
    /// Builds the objectives that score each reflection and the grid search; nil: no score bars and a
    /// stand-in search score, labelled as such.
    public var scoringObjectives: (@Sendable () throws -> [any Objective])?
    /// How big the training steps are.
    public var trainingScale: TrainingScale

    public init(modelPath: String, runDirectory: URL? = nil, theme: String? = nil,
                objectives: [String] = ["reflection", "empathy", "fluency"], dataDirectory: URL = DataDirectory.locate(),
                maxNewTokens: Int = 64, makeObjective: TrainerDriver.ObjectiveFactory? = nil,
                scoringObjectives: (@Sendable () throws -> [any Objective])? = nil, trainingScale: TrainingScale = .paper) {
        self.modelPath = modelPath
        self.runDirectory = runDirectory
        self.theme = theme
        self.objectives = objectives
        self.dataDirectory = dataDirectory
        self.maxNewTokens = maxNewTokens
        self.makeObjective = makeObjective
        self.scoringObjectives = scoringObjectives
        self.trainingScale = trainingScale
    }
}

/// Puts a dashboard together: prompts, workers (started), themes; then runs it on a terminal.
///
/// How the cores are shared is decided in `CoreShare`.
public enum DashboardSession {
    /// How many validation statements score one weight vector in the grid search.
    public static let searchStatements = 8

    /// A ready app on `terminal`, its workers started; problems found on the way are in the banner.
    public static func make(_ options: DashboardOptions, terminal: any Terminal) -> DashboardApp {
        BLAS.setThreadCount(CoreShare.blasThreads)
        var warnings: [String] = []
        var prompts: [PromptRecord] = []
        do { prompts = try PromptSet.load(.validation, from: options.dataDirectory).records } catch {
            warnings.append("no validation prompts: \(error); press i to type a statement")
        }
        let names = options.objectives
        var state = DashboardState(objectives: names.enumerated().map { ObjectiveStatus(name: $1, colorIndex: $0) })
        do { state.weights = try shippedWeights(data: options.dataDirectory, objectives: names) ?? state.weights } catch {
            warnings.append("\(error); the weights start at 1")
        }
        state.reflection.state = .loading("model")
        let generation = GenerationWorker(objectives: options.scoringObjectives ?? { [] }, maxNewTokens: options.maxNewTokens)
        let modelPath = options.modelPath, data = options.dataDirectory
        generation.start { stage in
            let path = try AssetCache().require(URL(fileURLWithPath: modelPath)).path
            return try LlamaReflectionEngine.load(modelPath: path, objectives: names, dataDirectory: data,
                                                  threads: CoreShare.generationThreads, progress: stage)
        }
        let score: any SearchScore = options.scoringObjectives.map { ObjectiveMeanScore(load: $0) } ?? DistinctWordScore()
        let search = SearchWorker(engine: { generation.engine }, score: score,
                                  statements: prompts.prefix(searchStatements).map(\.client))
        var run: DashboardRun?
        if let url = options.runDirectory {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                run = DashboardRun(url: url)
            } catch { warnings.append("cannot open the run directory \(url.path): \(error.localizedDescription)") }
        }
        let training = TrainingWorker(driver: trainingDriver(options, run: run), names: names, run: run)
        training.start()
        var themes = ThemeCatalog(dataDirectory: options.dataDirectory)
        if let theme = options.theme, let warning = themes.select(theme) { warnings.append(warning) }
        let app = DashboardApp(model: AppModel(state: state, prompts: prompts),
                               workers: DashboardApp.Workers(generation: generation, search: search, training: training),
                               themes: themes, terminal: terminal)
        if !warnings.isEmpty { app.report(warnings.joined(separator: "; ")) }
        return app
    }

    /// Where the search over the shipped adapters keeps its answer (`emorl search --out data/adapters/search`).
    static func shippedSearch(data: URL) -> URL {
        data.appendingPathComponent("adapters").appendingPathComponent("search").appendingPathComponent(SearchLog.bestFileName)
    }

    /// The hidden-mode weights the shipped search found, when it weighed exactly `objectives`' adapters; nil without one.
    static func shippedWeights(data: URL, objectives: [String]) throws -> [Double]? {
        let url = shippedSearch(data: data)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let best = try SearchLog.Best(contentsOf: url)
        return best.mode == .hidden && best.adapters == objectives ? best.weights : nil
    }

    /// A `TrainerDriver` into `run` when there is one and objectives can be built, else `UnavailableTrainer`.
    static func trainingDriver(_ options: DashboardOptions, run: DashboardRun?) -> any TrainingDriver {
        guard let run, let makeObjective = options.makeObjective else { return UnavailableTrainer() }
        let modelPath = options.modelPath, data = options.dataDirectory
        return TrainerDriver(run: run, scale: options.trainingScale,
                             load: { try TrainingSetup.load(modelPath: modelPath, dataDirectory: data) }, objective: makeObjective)
    }

    /// Opens the dashboard on the real terminal and runs it until quit, then ends the process.
    ///
    /// When `run()` returns, generation and search have been cancelled and joined and the terminal is
    /// restored (the signals restore it on their own path, see `TerminalRestorer`). A trainer may still be
    /// inside a step (inside OpenBLAS), so the process ends with `_exit` rather than `exit`: running the
    /// libraries' exit handlers under a busy thread crashed OpenBLAS at quit. Training state is already
    /// safe on disk (atomic checkpoints), so nothing is lost that the quit question did not warn about.
    public static func run(_ options: DashboardOptions) -> Never {
        let screen = CursesScreen(environment: ProcessInfo.processInfo.environment)
        make(options, terminal: screen).run()
        fflush(nil)                      // every C stream
        _exit(0)
    }
}
