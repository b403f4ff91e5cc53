import Corpus
import Foundation
import LanguageModel
import Tensors

/// What `emorl dashboard` was asked to open.
public struct DashboardOptions: Sendable {
    /// The GGUF model (checked when the generation worker loads it, so a missing file shows in the UI).
    public var modelPath: String
    /// The run directory to follow (created when missing); nil for none.
    public var runDirectory: URL?
    /// A theme name from `themes/` or a `.theme` file path.
    public var theme: String?
    /// The objectives' names, 2 to 5.
    public var objectives: [String]
    public var dataDirectory: URL
    /// The longest reflection, in tokens.
    public var maxNewTokens: Int

    public init(modelPath: String, runDirectory: URL? = nil, theme: String? = nil,
                objectives: [String] = ["reflection", "empathy", "fluency"], dataDirectory: URL = DataDirectory.locate(),
                maxNewTokens: Int = 64) {
        self.modelPath = modelPath
        self.runDirectory = runDirectory
        self.theme = theme
        self.objectives = objectives
        self.dataDirectory = dataDirectory
        self.maxNewTokens = maxNewTokens
    }
}

/// Puts a dashboard together: prompts, workers (started), themes; then runs it on a terminal.
///
/// Cores: OpenBLAS runs single-threaded here, so each busy worker holds at most one core; the UI thread
/// keeps normal priority and the workers run niced (see `WorkerThread`), so keys are answered first.
public enum DashboardSession {
    /// How many validation statements score one weight vector in the grid search.
    public static let searchStatements = 3

    /// A ready app on `terminal`, its workers started; problems found on the way are in the banner.
    public static func make(_ options: DashboardOptions, terminal: any Terminal) -> DashboardApp {
        BLAS.setThreadCount(1)
        var warnings: [String] = []
        var prompts: [PromptRecord] = []
        do { prompts = try PromptSet.load(.validation, from: options.dataDirectory).records } catch {
            warnings.append("no validation prompts: \(error); press i to type a statement")
        }
        let names = options.objectives
        var state = DashboardState(objectives: names.enumerated().map { ObjectiveStatus(name: $1, colorIndex: $0) })
        state.reflection.state = .loading("model")
        let generation = GenerationWorker(maxNewTokens: options.maxNewTokens)
        let modelPath = options.modelPath, data = options.dataDirectory
        generation.start { stage in
            let path = try AssetCache().require(URL(fileURLWithPath: modelPath)).path
            return try LlamaReflectionEngine.load(modelPath: path, objectives: names.count, dataDirectory: data, progress: stage)
        }
        let search = SearchWorker(engine: { generation.engine }, score: DistinctWordScore(),
                                  statements: prompts.prefix(searchStatements).map(\.client))
        var metrics: URL?
        if let run = options.runDirectory {
            do {
                try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
                metrics = run.appendingPathComponent("metrics.jsonl")
            } catch { warnings.append("cannot open the run directory \(run.path): \(error.localizedDescription)") }
        }
        let training = TrainingWorker(driver: UnavailableTrainer(), names: names, metrics: metrics)
        training.start()
        var themes = ThemeCatalog(dataDirectory: options.dataDirectory)
        if let theme = options.theme, let warning = themes.select(theme) { warnings.append(warning) }
        let app = DashboardApp(model: AppModel(state: state, prompts: prompts),
                               workers: DashboardApp.Workers(generation: generation, search: search, training: training),
                               themes: themes, terminal: terminal)
        if !warnings.isEmpty { app.report(warnings.joined(separator: "; ")) }
        return app
    }

    /// Opens the dashboard on the real terminal and runs it until quit.
    public static func run(_ options: DashboardOptions) {
        let screen = CursesScreen(environment: ProcessInfo.processInfo.environment)
        make(options, terminal: screen).run()
    }
}
