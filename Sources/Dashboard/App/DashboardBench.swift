import Dispatch
import Ensemble
import Foundation
import LanguageModel
import Synchronization
import Tensors
import Training

/// Latency of the live dashboard, measured on the real app loop, workers and engine with frames drawn
/// into a `ScriptedTerminal`: from an input to the frame that shows its effect.
///
/// With `randomAdapters`, every objective gets a random adapter (the paper's rank 8 on the top 4 blocks,
/// non-zero B) written as a checkpoint into a temporary run directory, so the ensemble runs one stream per
/// objective as it does with trained adapters; without, every blend is the base model (one stream), as
/// before any training.
public struct DashboardBench {
    /// One measured latency: what was timed, and every sample in milliseconds.
    public struct Figure: Sendable {
        public var name: String
        public var samples: [Double]
    }

    public let options: DashboardOptions
    public let runs: Int
    /// Threads of trainer-like matrix products (sgemm, as a rollout/backward step does).
    public let loadThreads: Int
    public let randomAdapters: Bool

    public init(options: DashboardOptions, runs: Int, loadThreads: Int, randomAdapters: Bool) {
        self.options = options
        self.runs = runs
        self.loadThreads = loadThreads
        self.randomAdapters = randomAdapters
    }

    /// The last frame shown, as the bench sees it.
    fileprivate struct Frame: Sendable {
        var time: Date
        var requestID: Int
        var hasText: Bool
        var done: Bool
        var weights: [Double]
        var mode: AggregationMode
        var focus: Panel
        var model: String?
    }

    /// Runs the measurements (loads the model first); `log` gets progress lines.
    public func run(log: (String) -> Void) throws -> [Figure] {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-bench-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: run) }
        if randomAdapters {
            try Self.writeRandomAdapters(DashboardRun(url: run), objectives: options.objectives, modelPath: options.modelPath)
        }
        var options = options
        options.runDirectory = run
        let input = EventQueue()
        let frames = FrameLog()
        let ended = DispatchSemaphore(value: 0)
        // The app lives on its own thread, the UI thread of this bench; only the queue and the log are shared.
        let loop = Thread { [options] in
            let app = DashboardSession.make(options, terminal: ScriptedTerminal(size: Size(width: 120, height: 40), input: input))
            app.onFrame = { model in
                frames.record(Frame(time: Date(), requestID: model.requestID, hasText: !model.state.reflection.text.isEmpty,
                                    done: model.state.reflection.state == .done, weights: model.state.weights,
                                    mode: model.state.aggregation, focus: model.state.focus, model: model.state.reflection.model))
            }
            app.run()
            ended.signal()
        }
        loop.stackSize = 16 << 20
        loop.start()
        defer {
            input.post(.key(.control("c")))
            ended.wait()                                  // the app stops its workers before it returns
        }

        /// Waits for a frame satisfying `condition` (up to `seconds`); its time.
        func waitFrame(_ seconds: Double, _ condition: (Frame) -> Bool) throws -> Date {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let shown = frames.last, condition(shown) { return shown.time }
                frames.waitForNext(milliseconds: 50)
            }
            throw BenchTimeout(seconds: seconds)
        }
        /// Posts `key` and waits for the frame with the first token of the reflection it started; milliseconds.
        func firstToken(_ key: Key) throws -> Double {
            let id = frames.last?.requestID ?? 0
            let start = Date()
            input.post(.key(key))
            return try waitFrame(120) { $0.requestID > id && $0.hasText }.timeIntervalSince(start) * 1000
        }
        /// `runs` weight steps (left, right, …) or statement steps (down, up, …), each posted as soon as the
        /// previous one shows its first token, so each also cancels a running generation.
        func firstTokens(_ name: String, _ keys: (Key, Key)) throws -> Figure {
            Figure(name: name, samples: try (0..<runs).map { try firstToken($0 % 2 == 0 ? keys.0 : keys.1) })
        }
        /// `runs` weight steps spaced out, each timed until the frame that shows the new value (each also
        /// restarts generation, so the generation worker stays busy).
        func keyLatencies(_ name: String) throws -> Figure {
            let samples = try (0..<runs).map { run in
                Thread.sleep(forTimeInterval: 0.1)
                let before = frames.last?.weights ?? []
                let start = Date()
                input.post(.key(run % 2 == 0 ? .left : .right))
                return try waitFrame(10) { $0.weights != before }.timeIntervalSince(start) * 1000
            }
            return Figure(name: name, samples: samples)
        }

        let count = options.objectives.count
        log("loading the model" + (randomAdapters ? " and \(count) random adapters" : ""))
        let summary = randomAdapters ? "\(count) of \(count) adapters trained" : "no trained adapters: base model"
        _ = try waitFrame(600) { $0.model == summary }
        let weightKeys: (Key, Key) = (.left, .right)
        var figures: [Figure] = []
        for mode in [AggregationMode.logits, .parameters, .hidden] {
            log("weight change → first token, \(mode) mode, \(runs) runs (after one to warm the caches)")
            while frames.last?.mode != mode {
                let shown = frames.last?.mode
                input.post(.key(.character("m")))
                _ = try waitFrame(10) { $0.mode != shown }
            }
            _ = try firstToken(.left)
            _ = try waitFrame(300) { $0.done }
            figures.append(try firstTokens("weight change → first token, \(mode)", weightKeys))
        }
        log("new statement → first token, hidden mode, \(runs) runs")
        input.post(.key(.tab))
        _ = try waitFrame(10) { $0.focus == .reflection }
        figures.append(try firstTokens("new statement → first token, hidden", (.down, .up)))
        input.post(.key(.backTab))
        _ = try waitFrame(10) { $0.focus == .weights }
        _ = try waitFrame(300) { $0.done }
        log("key press → screen, no trainer load")
        figures.append(try keyLatencies("key press → screen, no load"))

        log("with \(loadThreads) threads of trainer-like load")
        let stop = StopFlag()
        let load = (0..<loadThreads).map { _ in
            WorkerThread.start("emorl.bench.load", priority: .background) { Self.trainerLoad(until: stop) }
        }
        defer {
            stop.stopped.store(true, ordering: .relaxed)
            for thread in load { _ = thread.join(seconds: 10) }
        }
        _ = try waitFrame(300) { $0.done }
        figures.append(try firstTokens("weight change → first token, hidden, \(loadThreads) load threads", weightKeys))
        _ = try waitFrame(300) { $0.done }
        figures.append(try keyLatencies("key press → screen, \(loadThreads) load threads"))
        return figures
    }

    /// Writes a random adapter checkpoint for each objective into its sub-run of `run`.
    static func writeRandomAdapters(_ run: DashboardRun, objectives: [String], modelPath: String) throws {
        let config = try LlamaConfig(gguf: GGUFFile(path: try AssetCache().require(URL(fileURLWithPath: modelPath)).path))
        for (index, objective) in objectives.enumerated() {
            var random = SeededRandom(seed: UInt64(index + 1))
            var adapter = LoRAAdapter(config: .paper(blockCount: config.blockCount, topBlocks: 4), model: config, random: &random)
            for slot in adapter.slots {
                for i in 0..<(adapter.config.rank * slot.outWidth) {
                    adapter.parameters[slot.bOffset + i] = (random.nextUnitFloat() - 0.5) * 0.01
                }
            }
            try PEFTAdapter.save(adapter, model: config, to: run.adapterFolder(objective), baseModel: "emorl bench dashboard")
        }
    }

    /// Matrix products of a training step's shape, [64, 576] · [576, 1536], until `stop`.
    private static func trainerLoad(until stop: StopFlag) {
        let a = Matrix(rows: 64, cols: 576, values: (0..<(64 * 576)).map { Float($0 % 7) / 7 })
        let w = Matrix(rows: 1536, cols: 576, values: (0..<(1536 * 576)).map { Float($0 % 5) / 5 })
        while !stop.stopped.load(ordering: .relaxed) { _ = BLAS.linear(a, w) }
    }
}

/// The latest frame the app loop showed, handed to the bench thread.
private final class FrameLog: Sendable {
    private let frame = Mutex<DashboardBench.Frame?>(nil)
    private let drawn = DispatchSemaphore(value: 0)

    func record(_ shown: DashboardBench.Frame) {
        frame.withLock { $0 = shown }
        drawn.signal()
    }

    var last: DashboardBench.Frame? { frame.withLock { $0 } }

    func waitForNext(milliseconds: Int) {
        _ = drawn.wait(timeout: .now() + .milliseconds(milliseconds))
    }
}

/// Tells the load threads to end.
private final class StopFlag: Sendable {
    let stopped = Atomic<Bool>(false)
}

/// A frame the bench waited for did not come.
public struct BenchTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "no frame showed the change within \(seconds) s" }
}
