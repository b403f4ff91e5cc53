import ArgumentParser
import Foundation
import LanguageModel
import Tensors
import Training

/// Which model to load and how many threads to give it.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "A llama-architecture GGUF file (default: the SmolLM2-135M-Instruct asset fetched by scripts/setup).")
    var model: String?

    @Option(name: .long, help: "Threads for the matrix products (1 or more).")
    var threads: Int = 2

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be 1 or more, got \(threads)") }
    }

    /// The GGUF path to load, checked to exist.
    func modelPath() throws -> String {
        if let model { return try AssetCache().require(URL(fileURLWithPath: model)).path }
        return try AssetCache().require(AssetCache().defaultModel).path
    }

    /// Loads the model for inference and its tokenizer: the quantized engine when the file's matrices are
    /// quantized (the default model), else the f32 model.
    func load() throws -> (model: any LanguageEngine, tokenizer: BPETokenizer) {
        BLAS.setThreadCount(threads)
        let gguf = try GGUFFile(path: try modelPath())
        return (try fastEngine(gguf) ?? LlamaModel(gguf: gguf), try BPETokenizer(gguf: gguf))
    }

    /// The quantized engine on `gguf`'s own blocks, or nil when its matrices are not quantized.
    func fastEngine(_ gguf: GGUFFile) -> QuantizedLlama? {
        try? QuantizedLlama(gguf: gguf, threads: threads)
    }
}

/// Sampling flags shared by the generating subcommands.
struct SamplingOptions: ParsableArguments {
    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.7

    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0 = all).")
    var topK: Int = 50

    @Option(name: .customLong("top-p"), help: "Nucleus sampling mass in (0, 1].")
    var topP: Float = 1.0

    @Option(name: .long, help: "Random seed: the same seed gives the same text.")
    var seed: UInt64 = 0

    @Option(name: .customLong("max-tokens"), help: "Most new tokens to generate.")
    var maxTokens: Int = 64

    func validate() throws {
        guard temperature.isFinite, temperature >= 0 else { throw ValidationError("--temperature must be a number ≥ 0, got \(temperature)") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 (no limit) or more, got \(topK)") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1], got \(topP)") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be 1 or more, got \(maxTokens)") }
    }

    var parameters: SamplingParameters { SamplingParameters(temperature: temperature, topK: topK, topP: topP) }
}

extension ModelOptions {
    /// What training needs: the f32 policy (for the gradient), the engine rollouts sample from (quantized when it can be),
    /// the tokenizer,
    /// and the model's fingerprint for the run directory.
    func loadForTraining() throws -> (policy: LlamaModel, engine: any LanguageEngine, tokenizer: BPETokenizer, fingerprint: ModelFingerprint) {
        BLAS.setThreadCount(threads)
        let gguf = try GGUFFile(path: try modelPath())
        let policy = try LlamaModel(gguf: gguf)
        return (policy, fastEngine(gguf) ?? policy, try BPETokenizer(gguf: gguf), ModelFingerprint(gguf: gguf, config: policy.config))
    }
}
