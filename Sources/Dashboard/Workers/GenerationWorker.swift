import Dispatch
import Foundation
import LanguageModel
import Objectives
import Synchronization

/// Where the engine stands while the dashboard starts.
public enum EngineStatus: Hashable, Sendable {
    case loading(String)
    case ready(summary: String)
    case failed(String)
}

/// Generates the reflection the UI asks for on its own thread, latest request wins.
///
/// `submit` replaces any request not started yet and makes a running generation stop at once (its
/// `cancelled` answers true once a newer id exists; the engine asks between blocks of a pass). Progress
/// is posted as whole snapshots. `useAdapters` hands over the latest adapter checkpoints; they are loaded
/// between requests. `stop` cancels the running generation and waits for the thread to end.
public final class GenerationWorker: Sendable {
    /// Progress of the latest request.
    public let progress = Mailbox<GenerationProgress>()
    /// Loading, ready (with the summary of the adapters in use) or failed.
    public let status = Mailbox<EngineStatus>()
    /// An adapter checkpoint that could not be loaded.
    public let errors = Mailbox<String>()

    private let pending = Mutex<GenerationRequest?>(nil)
    /// The adapter checkpoints to use, by objective, as last handed over.
    private let checkpoints = Mutex<[TrainedAdapter?]>([])
    private let latest = Atomic<Int>(-1)
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<WorkerThread?>(nil)
    private let wake = DispatchSemaphore(value: 0)
    private let loaded = Mutex<(any ReflectionEngine)?>(nil)
    private let loadObjectives: @Sendable () throws -> [any Objective]
    private let objectives = Mutex<[any Objective]>([])
    private let sampling: SamplingParameters
    private let maxNewTokens: Int

    /// A worker that will score finished reflections with the objectives `loadObjectives` builds, after the
    /// model is loaded (none, or a failure to build them: no score bars).
    public init(objectives loadObjectives: @escaping @Sendable () throws -> [any Objective] = { [] },
                sampling: SamplingParameters = SamplingParameters(), maxNewTokens: Int = 64) {
        self.loadObjectives = loadObjectives
        self.sampling = sampling
        self.maxNewTokens = maxNewTokens
    }

    /// The engine, once loaded.
    public var engine: (any ReflectionEngine)? { loaded.withLock { $0 } }

    /// Starts the thread: loads the engine with `load` (which reports its stages), then serves requests.
    public func start(load: @escaping @Sendable (_ stage: (String) -> Void) throws -> any ReflectionEngine) {
        let started = WorkerThread.start("emorl.generation", priority: .interactive) { [self] in
            let started = Date()
            do {
                let engine = try load { stage in
                    self.status.post(.loading("\(stage) (\(Format.fixed(Date().timeIntervalSince(started), digits: 1)) s)"))
                }
                status.post(.loading("objectives (\(Format.fixed(Date().timeIntervalSince(started), digits: 1)) s)"))
                let scorers = (try? loadObjectives()) ?? []
                objectives.withLock { $0 = scorers }
                loaded.withLock { $0 = engine }
                status.post(.ready(summary: engine.summary))
                serve(engine)
            } catch {
                status.post(.failed("cannot load the model: \(error)"))
            }
        }
        thread.withLock { $0 = started }
    }

    /// Cancels the running generation, drops the pending request and waits up to `seconds` for the thread
    /// to end (within a block of the pass under way, or once the model is loaded); whether it did.
    @discardableResult
    public func stop(seconds: Double) -> Bool {
        stopping.store(true, ordering: .sequentiallyConsistent)
        latest.store(Int.min, ordering: .sequentiallyConsistent)
        wake.signal()
        return thread.withLock { $0 }?.join(seconds: seconds) ?? true
    }

    /// Asks for `request`; older requests stop as soon as they notice.
    public func submit(_ request: GenerationRequest) {
        pending.withLock { $0 = request }
        latest.store(request.id, ordering: .sequentiallyConsistent)
        wake.signal()
    }

    /// Makes the next generations use `adapters` (one per objective, nil: keep the one in use).
    public func useAdapters(_ adapters: [TrainedAdapter?]) {
        checkpoints.withLock { $0 = adapters }
        wake.signal()
    }

    private func isCurrent(_ id: Int) -> Bool { latest.load(ordering: .relaxed) == id }

    /// Serves requests until `stop`.
    private func serve(_ engine: any ReflectionEngine) {
        var engine = engine
        var inUse: [TrainedAdapter?] = []
        while true {
            wake.wait()
            guard !stopping.load(ordering: .relaxed) else { return }
            let wanted = checkpoints.withLock { $0 }
            if wanted != inUse {
                engine = load(wanted, over: inUse, into: engine)
                inUse = wanted
            }
            guard let request = pending.withLock({ value in defer { value = nil }; return value }) else { continue }
            run(request, on: engine)
        }
    }

    /// `engine` with every checkpoint of `wanted` that is not in `inUse` loaded; a failure is reported and skipped.
    private func load(_ wanted: [TrainedAdapter?], over inUse: [TrainedAdapter?], into engine: any ReflectionEngine) -> any ReflectionEngine {
        var engine = engine
        for (index, checkpoint) in wanted.enumerated() {
            guard let checkpoint, !inUse.indices.contains(index) || inUse[index] != checkpoint else { continue }
            do { engine = try engine.replacingAdapter(index, from: checkpoint.folder) } catch {
                errors.post("cannot load the adapter in \(checkpoint.folder.path): \(error)")
            }
        }
        loaded.withLock { $0 = engine }
        status.post(.ready(summary: engine.summary))
        return engine
    }

    // MARK: - One request

    private func run(_ request: GenerationRequest, on engine: any ReflectionEngine) {
        var snapshot = GenerationProgress(id: request.id, state: .generating)
        if request.compare { snapshot.comparison = [] }
        progress.post(snapshot)
        let start = Date()
        do {
            let generation = try engine.reflect(request.statement, blend: .ensemble(weights: request.weights, mode: request.mode),
                                                sampling: sampling, seed: request.seed, maxNewTokens: maxNewTokens,
                                                cancelled: { !isCurrent(request.id) }) { piece in
                guard isCurrent(request.id) else { return }
                if snapshot.firstTokenSeconds == nil { snapshot.firstTokenSeconds = Date().timeIntervalSince(start) }
                snapshot.text += piece
                progress.post(snapshot)
            }
            guard generation.stopReason != .cancelled, isCurrent(request.id) else { return }
            snapshot.totalSeconds = Date().timeIntervalSince(start)
            snapshot.scores = score(request.statement, snapshot.text)
            if request.compare {
                snapshot.comparison = [ComparisonColumn(label: "ensemble", text: snapshot.text, meanScore: mean(snapshot.scores))]
                progress.post(snapshot)
                guard compare(request, on: engine, into: &snapshot) else { return }
            }
            snapshot.state = .done
            progress.post(snapshot)
        } catch {
            snapshot.state = .failed("\(error)")
            progress.post(snapshot)
        }
    }

    /// Adds one column per single adapter and one for the base; false when a newer request came.
    private func compare(_ request: GenerationRequest, on engine: any ReflectionEngine, into snapshot: inout GenerationProgress) -> Bool {
        let blends: [(String, Blend)] = request.weights.indices.map { ("adapter \($0 + 1)", .single($0)) } + [("base", .base)]
        for (label, blend) in blends {
            var text = ""
            let generation = try? engine.reflect(request.statement, blend: blend, sampling: sampling, seed: request.seed,
                                                 maxNewTokens: maxNewTokens, cancelled: { !isCurrent(request.id) }) { text += $0 }
            guard let generation, generation.stopReason != .cancelled, isCurrent(request.id) else { return false }
            snapshot.comparison?.append(ComparisonColumn(label: label, text: text, meanScore: mean(score(request.statement, text))))
            progress.post(snapshot)
        }
        return true
    }

    // MARK: - Scores

    /// Each objective's score of one reflection (nil where a scorer failed).
    private func score(_ statement: String, _ text: String) -> [Double?] {
        objectives.withLock { $0 }.map { try? $0.score(prompts: [statement], responses: [text]).first }
    }

    private func mean(_ scores: [Double?]) -> Double? {
        let known = scores.compactMap { $0 }
        return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }
}
