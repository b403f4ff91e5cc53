import Ensemble
import Foundation
import LanguageModel

/// Which model a reflection comes from.
public enum Blend: Hashable, Sendable {
    /// The ensemble of every objective's adapter with these weights and aggregation.
    case ensemble(weights: [Double], mode: AggregationMode)
    /// One objective's adapter alone.
    case single(Int)
    /// The base model without adapters.
    case base
}

/// What generates reflections: the one seam where the f32 engine can be swapped for a faster one.
public protocol ReflectionEngine: Sendable {
    /// A short description for the status line, e.g. that no adapter is trained.
    var summary: String { get }
    /// Generates a reflection of `statement`; `onText` gets the decoded text piece by piece and returns false to cancel.
    func reflect(_ statement: String, blend: Blend, sampling: SamplingParameters, seed: UInt64, maxNewTokens: Int,
                 onText: (String) -> Bool) throws -> Generation
}

/// The f32 `LlamaModel` with one LoRA adapter per objective, driven by `EnsembleGenerator` and `Generator`.
public final class LlamaReflectionEngine: ReflectionEngine {
    let model: LlamaModel
    let tokenizer: BPETokenizer
    let counselor: CounselorPrompt
    let adapters: [LoRAAdapter]
    /// False when every adapter is zero: then every blend is the base model, computed as one stream.
    let trained: Bool

    public init(model: LlamaModel, tokenizer: BPETokenizer, counselor: CounselorPrompt, adapters: [LoRAAdapter]) {
        self.model = model
        self.tokenizer = tokenizer
        self.counselor = counselor
        self.adapters = adapters
        trained = adapters.contains { $0.parameters.contains { $0 != 0 } }
    }

    /// Loads the model at `modelPath` and gives each of `objectives` a zero (untrained) adapter, reporting each stage.
    public static func load(modelPath: String, objectives: Int, dataDirectory: URL,
                            progress: (String) -> Void) throws -> LlamaReflectionEngine {
        progress("model file")
        let gguf = try GGUFFile(path: modelPath)
        progress("weights (f32)")
        let model = try LlamaModel(gguf: gguf)
        progress("tokenizer")
        let tokenizer = try BPETokenizer(gguf: gguf)
        let counselor = try CounselorPrompt(contentsOf: dataDirectory.appendingPathComponent("counselor-system-prompt.txt"))
        let config = LoRAConfig.paper(blockCount: model.config.blockCount, topBlocks: 4)
        let adapters = (0..<objectives).map { _ in LoRAAdapter(config: config, model: model.config) }
        return LlamaReflectionEngine(model: model, tokenizer: tokenizer, counselor: counselor, adapters: adapters)
    }

    public var summary: String { trained ? "\(adapters.count) adapters" : "no trained adapters: base model" }

    public func reflect(_ statement: String, blend: Blend, sampling: SamplingParameters, seed: UInt64, maxNewTokens: Int,
                        onText: (String) -> Bool) throws -> Generation {
        let prompt = counselor.tokens(client: statement, tokenizer: tokenizer)
        var sampler = Sampler(sampling, seed: seed)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        let stop: Set<Int> = [tokenizer.eosID]
        func onToken(_ token: Int) -> Bool { onText(decoder.decode(token: token)) }
        switch blend {
        case .ensemble(let weights, let mode):
            try EnsembleError.validate(weights: weights, adapterCount: adapters.count)
            guard trained else {
                // N equal adapters: Σ wᵢ·h = (Σ wᵢ)·h in hidden mode, the base itself in the other two. Exact, N times cheaper.
                let total = mode == .hidden ? weights.reduce(0, +) : 1
                return try EnsembleGenerator(model: model, adapters: [adapters[0]]).generate(
                    prompt: prompt, weights: [total], mode: mode, maxNewTokens: maxNewTokens, sampler: &sampler,
                    stopTokens: stop, onToken: onToken)
            }
            return try EnsembleGenerator(model: model, adapters: adapters).generate(
                prompt: prompt, weights: weights, mode: mode, maxNewTokens: maxNewTokens, sampler: &sampler,
                stopTokens: stop, onToken: onToken)
        case .single(let index):
            return Generator(model: model).generate(prompt: prompt, maxNewTokens: maxNewTokens, sampler: &sampler,
                                                    stopTokens: stop, adapter: trained ? adapters[index] : nil, onToken: onToken)
        case .base:
            return Generator(model: model).generate(prompt: prompt, maxNewTokens: maxNewTokens, sampler: &sampler,
                                                    stopTokens: stop, onToken: onToken)
        }
    }
}
