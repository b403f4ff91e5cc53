import Foundation

/// The app loop on the UI thread: input in, effects to the workers, worker snapshots in, a frame out
/// whenever something changed. It is the only code that touches the terminal.
public final class DashboardApp {
    /// The background workers the loop drives.
    public struct Workers: Sendable {
        public var generation: GenerationWorker
        public var search: SearchWorker
        public var training: TrainingWorker

        public init(generation: GenerationWorker, search: SearchWorker, training: TrainingWorker) {
            self.generation = generation
            self.search = search
            self.training = training
        }

        /// Cancels generation and search, stops following the run, and waits for their threads to end
        /// (each up to `CoreShare.joinSeconds`). Trainers finish their step on their own.
        public func stop() {
            search.cancel()
            generation.stop(seconds: CoreShare.joinSeconds)
            search.stop(seconds: CoreShare.joinSeconds)
            training.stop(seconds: CoreShare.joinSeconds)
        }
    }

    /// How long one wait for input lasts; worker snapshots are drawn at least this often.
    public static let pollMilliseconds: Int32 = 10

    public private(set) var model: AppModel
    public let workers: Workers
    public private(set) var themes: ThemeCatalog
    private let terminal: any Terminal
    private let keys: KeyTable
    /// Called after each frame is shown, with the state it shows (benches watch it).
    public var onFrame: ((AppModel) -> Void)?
    private var quitting = false

    public init(model: AppModel, workers: Workers, themes: ThemeCatalog, terminal: any Terminal, keys: KeyTable = .standard) {
        self.model = model
        self.workers = workers
        self.themes = themes
        self.terminal = terminal
        self.keys = keys
    }

    /// Runs until quit, then stops the workers and gives the terminal back.
    public func run() {
        defer {
            workers.stop()
            terminal.close()
        }
        workers.generation.submit(model.request)
        var dirty = true
        while !quitting {
            if dirty {
                Dashboard.render(model.state, theme: themes.theme, keys: keys, on: terminal)
                onFrame?(model)
                dirty = false
            }
            var timeout = Self.pollMilliseconds
            while let event = terminal.readEvent(timeoutMilliseconds: timeout) {
                perform(model.handle(event, size: terminal.size, keys: keys))
                dirty = true
                timeout = 0   // take everything already typed before drawing (a drag sends many reports)
                if quitting { return }
            }
            dirty = collectSnapshots() || dirty
        }
    }

    /// Shows `message` in the banner (e.g. a theme warning at start).
    public func report(_ message: String) {
        model.report(message)
    }

    // MARK: - Effects

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .regenerate: workers.generation.submit(model.request)
            case .startSearch: workers.search.start(dimensions: model.state.objectives.count, mode: model.state.aggregation)
            case .cancelSearch: workers.search.cancel()
            case .training(let objective, let command): workers.training.send(command, objective: objective)
            case .cycleTheme:
                if let warning = themes.next() { model.report(warning) }
            case .quit: quitting = true
            }
        }
    }

    // MARK: - Snapshots

    /// Merges whatever the workers posted, and hands new adapter checkpoints to generation; true when anything came.
    private func collectSnapshots() -> Bool {
        var changed = false
        if let status = workers.generation.status.take() { model.apply(status); changed = true }
        if let progress = workers.generation.progress.take() { model.apply(progress); changed = true }
        if let search = workers.search.status.take() { model.apply(search); changed = true }
        if let training = workers.training.snapshots.take() {
            model.apply(training)
            workers.generation.useAdapters(training.adapters)
            changed = true
        }
        if let error = workers.training.errors.take() { model.report(error); changed = true }
        if let error = workers.generation.errors.take() { model.report(error); changed = true }
        return changed
    }
}
