import Corpus
import Foundation
import LanguageModel
import Training

/// What training any objective needs besides the objective: the model, its tokenizer, the prompts.
/// Loaded once, on the first start, and shared by every objective's trainer.
public struct TrainingSetup: Sendable {
    /// The f32 model the gradient is taken on.
    public var policy: LlamaModel
    /// What rollouts and validation sample from: the quantized engine on `CoreShare.trainingThreads` threads
    /// when the file is quantized (as `emorl train` does), else the policy itself.
    public var engine: any LanguageEngine
    public var tokenizer: any Tokenizer
    public var counselor: CounselorPrompt
    public var trainClients: [String]
    public var validationClients: [String]
    public var fingerprint: ModelFingerprint

    public init(policy: LlamaModel, engine: any LanguageEngine, tokenizer: any Tokenizer, counselor: CounselorPrompt,
                trainClients: [String], validationClients: [String], fingerprint: ModelFingerprint) {
        self.policy = policy
        self.engine = engine
        self.tokenizer = tokenizer
        self.counselor = counselor
        self.trainClients = trainClients
        self.validationClients = validationClients
        self.fingerprint = fingerprint
    }

    /// The model at `modelPath` with the counselor prompt and the train and validation prompts of `dataDirectory`.
    public static func load(modelPath: String, dataDirectory: URL) throws -> TrainingSetup {
        let gguf = try GGUFFile(path: try AssetCache().require(URL(fileURLWithPath: modelPath)).path)
        let policy = try LlamaModel(gguf: gguf)
        return TrainingSetup(
            policy: policy, engine: (try? QuantizedLlama(gguf: gguf, threads: CoreShare.trainingThreads)) ?? policy,
            tokenizer: try BPETokenizer(gguf: gguf),
            counselor: try CounselorPrompt(contentsOf: dataDirectory.appendingPathComponent("counselor-system-prompt.txt")),
            trainClients: try PromptSet.load(.train, from: dataDirectory).clients,
            validationClients: try PromptSet.load(.validation, from: dataDirectory).clients,
            fingerprint: ModelFingerprint(gguf: gguf, config: policy.config))
    }
}
