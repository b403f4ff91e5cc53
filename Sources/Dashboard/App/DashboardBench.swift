import Dispatch
import Foundation
import Synchronization
import Tensors

/// Latency of the live dashboard, measured on the real app loop, workers and engine with frames drawn
/// into a `ScriptedTerminal`: from an input to the frame that shows its effect.
public struct DashboardBench {
    /// Medians and all samples, in milliseconds.
    public struct Figures: Sendable {
        /// A weight change to the first token of the new reflection on screen (the previous one cancelled).
        public var firstToken: [Double]
        /// A weight key to the frame that shows the new value, with a trainer-like load and generation running.
        public var keyUnderLoad: [Double]
        /// The same with only generation running.
        public var keyNoLoad: [Double]
    }

    public let options: DashboardOptions
    public let runs: Int
    /// Threads of trainer-like matrix products (sgemm, as a rollout/backward step does).
    public let loadThreads: Int

    public init(options: DashboardOptions, runs: Int, loadThreads: Int) {
        self.options = options
        self.runs = runs
        self.loadThreads = loadThreads
    }

    /// The last frame shown, as the bench sees it.
    fileprivate struct Frame: Sendable {
        var time: Date
        var requestID: Int
        var hasText: Bool
        var done: Bool
        var weights: [Double]
    }

    /// Runs the measurements (loads the model first); `log` gets progress lines.
    public func run(log: (String) -> Void) throws -> Figures {
        let input = EventQueue()
        let frames = FrameLog()
        let options = options
        // The app lives on its own thread, the UI thread of this bench; only the queue and the log are shared.
        let loop = Thread {
            let app = DashboardSession.make(options, terminal: ScriptedTerminal(size: Size(width: 120, height: 40), input: input))
            app.onFrame = { model in
                frames.record(Frame(time: Date(), requestID: model.requestID, hasText: !model.state.reflection.text.isEmpty,
                                    done: model.state.reflection.state == .done, weights: model.state.weights))
            }
            app.run()
        }
        loop.stackSize = 16 << 20
        loop.start()
        defer { input.post(.key(.control("c"))) }

        /// Waits for a frame satisfying `condition` (up to `seconds`); its time.
        func waitFrame(_ seconds: Double, _ condition: (Frame) -> Bool) throws -> Date {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let shown = frames.last, condition(shown) { return shown.time }
                frames.waitForNext(milliseconds: 50)
            }
            throw BenchTimeout(seconds: seconds)
        }

        log("loading the model and generating the first reflection")
        _ = try waitFrame(600) { $0.done }
        var figures = Figures(firstToken: [], keyUnderLoad: [], keyNoLoad: [])

        log("weight change → first token on screen, \(runs) runs")
        for run in 0..<runs {
            let id = frames.last?.requestID ?? 0
            let start = Date()
            input.post(.key(run % 2 == 0 ? .left : .right))
            let shown = try waitFrame(120) { $0.requestID > id && $0.hasText }
            figures.firstToken.append(shown.timeIntervalSince(start) * 1000)
        }

        let current = { frames.last?.weights ?? [] }
        _ = try waitFrame(120) { $0.done }
        figures.keyNoLoad = try keyLatencies(input: input, waitFrame: waitFrame, current: current)
        log("key press → screen under load: \(loadThreads) sgemm threads plus generation")
        let stop = StopFlag()
        for _ in 0..<loadThreads { WorkerThread.start("emorl.bench.load", priority: .background) { Self.trainerLoad(until: stop) } }
        figures.keyUnderLoad = try keyLatencies(input: input, waitFrame: waitFrame, current: current)
        stop.stopped.store(true, ordering: .relaxed)
        return figures
    }

    /// Weight steps (left, right, …), each timed until the frame that shows the new value; each also
    /// restarts generation, so the generation worker stays busy. Spaced out so each is measured alone.
    private func keyLatencies(input: EventQueue, waitFrame: (Double, (Frame) -> Bool) throws -> Date,
                              current: () -> [Double]) throws -> [Double] {
        var samples: [Double] = []
        for run in 0..<runs {
            Thread.sleep(forTimeInterval: 0.1)
            let before = current()
            let start = Date()
            input.post(.key(run % 2 == 0 ? .left : .right))
            let shown = try waitFrame(10) { $0.weights != before }
            samples.append(shown.timeIntervalSince(start) * 1000)
        }
        return samples
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
