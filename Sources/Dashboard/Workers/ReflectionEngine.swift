import Ensemble
import Foundation
import LanguageModel
import Synchronization
import Training

/// Which model a reflection comes from.
public enum Blend: Hashable, Sendable {
    /// The ensemble of every objective's adapter with these weights and aggregation.
    case ensemble(weights: [Double], mode: AggregationMode)
    /// One objective's adapter alone.
    case single(Int)
    /// The base model without adapters.
    case base
}

/// What generates reflections: the one seam where the engine can be swapped (tests use a fake one).
public protocol ReflectionEngine: Sendable {
    /// A short description for the status line, e.g. that no adapter is trained.
    var summary: String { get }
    /// Generates a reflection of `statement`; `onText` gets the decoded text piece by piece; generation ends
    /// early (stop reason `cancelled`) once `cancelled` answers true, which it asks as often as it can.
    func reflect(_ statement: String, blend: Blend, sampling: SamplingParameters, seed: UInt64, maxNewTokens: Int,
                 cancelled: () -> Bool, onText: (String) -> Void) throws -> Generation
    /// The same engine with objective `index`'s adapter read from the PEFT folder `folder` (a trainer's checkpoint).
    func replacingAdapter(_ index: Int, from folder: URL) throws -> any ReflectionEngine
    /// The same model and adapters computing on `threads` threads of its own, with caches of its own (for another worker).
    func onOwnThreads(_ threads: Int) throws -> any ReflectionEngine
}

/// The model (the quantized engine when the file is quantized) with one LoRA adapter per objective, every
/// blend decoded by `EnsembleGenerator`.
///
/// Keeps one `PromptCache` per kind of blend (the ensemble, its merge, each single adapter, the base): a
/// weight change on the same statement starts from the cached prompt (hidden, logits), a new statement
/// reruns only its own tokens. Not for concurrent use: each worker takes its own copy (`onOwnThreads`).
public final class LlamaReflectionEngine: ReflectionEngine {
    /// Which cache a blend uses.
    enum CacheSlot: Hashable {
        case ensemble, merged, single(Int), base
    }

    let model: any LanguageEngine
    let tokenizer: BPETokenizer
    let counselor: CounselorPrompt
    let adapters: [LoRAAdapter]
    /// False when every adapter is zero: then every blend is the base model, computed as one stream.
    let trained: Bool
    private let caches = Mutex<[CacheSlot: PromptCache]>([:])

    public init(model: any LanguageEngine, tokenizer: BPETokenizer, counselor: CounselorPrompt, adapters: [LoRAAdapter]) {
        self.model = model
        self.tokenizer = tokenizer
        self.counselor = counselor
        self.adapters = adapters
        trained = adapters.contains { $0.parameters.contains { $0 != 0 } }
    }

    /// Loads the model at `modelPath` (quantized engine on `threads` threads, or f32 when the file is not
    /// quantized) and gives each of `objectives` its shipped adapter, `data/adapters/<objective>/`, when there
    /// is one, else a zero (untrained) adapter, reporting each stage.
    public static func load(modelPath: String, objectives: [String], dataDirectory: URL, threads: Int,
                            progress: (String) -> Void) throws -> LlamaReflectionEngine {
        progress("model file")
        let gguf = try GGUFFile(path: modelPath)
        progress("weights")
        let model: any LanguageEngine = try (try? QuantizedLlama(gguf: gguf, threads: threads)) ?? LlamaModel(gguf: gguf)
        progress("tokenizer")
        let tokenizer = try BPETokenizer(gguf: gguf)
        let counselor = try CounselorPrompt(contentsOf: dataDirectory.appendingPathComponent("counselor-system-prompt.txt"))
        progress("adapters")
        let untrained = LoRAAdapter(config: .paper(blockCount: model.config.blockCount, topBlocks: 4), model: model.config)
        let adapters = try objectives.map { name in
            let shipped = dataDirectory.appendingPathComponent("adapters").appendingPathComponent(name)
            let present = FileManager.default.fileExists(atPath: shipped.appendingPathComponent(PEFTAdapter.configFile).path)
            return present ? try PEFTAdapter.load(from: shipped, model: model.config) : untrained
        }
        return LlamaReflectionEngine(model: model, tokenizer: tokenizer, counselor: counselor, adapters: adapters)
    }

    public var summary: String {
        let count = adapters.filter { $0.parameters.contains { $0 != 0 } }.count
        return trained ? "\(count) of \(adapters.count) adapters trained" : "no trained adapters: base model"
    }

    public func replacingAdapter(_ index: Int, from folder: URL) throws -> any ReflectionEngine {
        var adapters = adapters
        adapters[index] = try PEFTAdapter.load(from: folder, model: model.config)
        return LlamaReflectionEngine(model: model, tokenizer: tokenizer, counselor: counselor, adapters: adapters)
    }

    /// The quantized engine maps the same file onto a pool of `threads` threads; the f32 model is shared (BLAS).
    public func onOwnThreads(_ threads: Int) throws -> any ReflectionEngine {
        let own = try (model as? QuantizedLlama).map { try QuantizedLlama(gguf: $0.file, threads: threads, precision: $0.precision) }
        return LlamaReflectionEngine(model: own ?? model, tokenizer: tokenizer, counselor: counselor, adapters: adapters)
    }

    public func reflect(_ statement: String, blend: Blend, sampling: SamplingParameters, seed: UInt64, maxNewTokens: Int,
                        cancelled: () -> Bool, onText: (String) -> Void) throws -> Generation {
        let (slot, generator, weights, mode) = try plan(blend)
        var sampler = Sampler(sampling, seed: seed)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        var cache = caches.withLock { $0.removeValue(forKey: slot) } ?? PromptCache()
        defer { caches.withLock { $0[slot] = cache } }
        return try generator.generate(prompt: counselor.tokens(client: statement, tokenizer: tokenizer), weights: weights, mode: mode,
                                      maxNewTokens: maxNewTokens, sampler: &sampler, stopTokens: [tokenizer.eosID], cache: &cache,
                                      cancelled: cancelled) { onText(decoder.decode(token: $0)) }
    }

    /// The cache, streams, weights and mode that compute `blend`. A single adapter or the base is one stream
    /// with weight 1 in hidden mode (Σ wᵢ·h = h). Untrained, every blend is the base: N equal streams give
    /// Σ wᵢ·h = (Σ wᵢ)·h in hidden mode and the base itself in the other two; exact, N times cheaper.
    private func plan(_ blend: Blend) throws -> (CacheSlot, EnsembleGenerator, [Double], AggregationMode) {
        let base = EnsembleGenerator(model: model, adapters: [nil])
        switch blend {
        case .ensemble(let weights, let mode):
            try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
            guard trained else { return (.base, base, [mode == .hidden ? weights.reduce(0, +) : 1], mode) }
            return (mode == .parameters ? .merged : .ensemble, EnsembleGenerator(model: model, adapters: adapters), weights, mode)
        case .single(let index):
            guard trained else { return (.base, base, [1], .hidden) }
            return (.single(index), EnsembleGenerator(model: model, adapters: [adapters[index]]), [1], .hidden)
        case .base:
            return (.base, base, [1], .hidden)
        }
    }
}
