import Corpus
import Foundation
import LanguageModel
import Tensors

/// Builds objectives by name: `reflection`, `empathy`, `fluency`, or `external:<command>`.
///
/// Resources load on first use and are shared: one sentence encoder (behind one in-memory cache) for
/// reflection and empathy, so a response both read is embedded once; the base model only for fluency.
public final class ObjectiveRegistry: @unchecked Sendable {
    /// The built-in names.
    public static let builtIn = [ReflectionObjective.objectiveName, EmpathyObjective.objectiveName, FluencyObjective.objectiveName]
    /// Every name form the registry accepts, for messages.
    public static var known: [String] { builtIn + [ExternalObjective.prefix + "<command>"] }

    /// The folder with `reflection.json` and `empathy.json`.
    public let scorers: URL
    public let encoderAssets: EncoderAssets
    /// The GGUF the fluency objective reads.
    public let model: URL
    /// The counselor system prompt file.
    public let systemPrompt: URL
    private let lock = NSLock()
    private var encoder: ScorerEncoder?

    public init(data: URL = DataDirectory.locate(), encoderAssets: EncoderAssets = .standard, model: URL = AssetCache().defaultModel) {
        self.scorers = data.appendingPathComponent("scorers", isDirectory: true)
        self.systemPrompt = data.appendingPathComponent("counselor-system-prompt.txt")
        self.encoderAssets = encoderAssets
        self.model = model
    }

    /// The objectives named, in order (resources shared between them).
    public func objectives(named names: [String]) throws -> [any Objective] {
        try names.map(objective(named:))
    }

    /// The objective called `name`; an unknown name is an error listing the known ones.
    public func objective(named name: String) throws -> any Objective {
        switch name {
        case ReflectionObjective.objectiveName:
            let (file, source) = try head(name)
            let encoder = try sharedEncoder()
            return try ReflectionObjective(file: file, source: source, embedder: encoder.embedder, encoder: encoder.identity,
                                           tokenizer: encoder.encoder.tokenizer)
        case EmpathyObjective.objectiveName:
            let (file, source) = try head(name)
            let encoder = try sharedEncoder()
            return try EmpathyObjective(file: file, source: source, embedder: encoder.embedder, encoder: encoder.identity)
        case FluencyObjective.objectiveName:
            let gguf = try GGUFFile(path: try AssetCache().require(model).path)
            let engine: any LanguageEngine = try (try? QuantizedLlama(gguf: gguf, threads: 2)) ?? LlamaModel(gguf: gguf)   // quantized when it can be
            return FluencyObjective(model: engine, tokenizer: try BPETokenizer(gguf: gguf),
                                    prompt: try CounselorPrompt(contentsOf: systemPrompt))
        case _ where name.hasPrefix(ExternalObjective.prefix) && name.count > ExternalObjective.prefix.count:
            return ExternalObjective(command: String(name.dropFirst(ExternalObjective.prefix.count)))
        default:
            throw ScorerError.unknownObjective(name: name, known: Self.known)
        }
    }

    /// The head file of `objective` and its path.
    private func head(_ objective: String) throws -> (HeadFile, String) {
        let url = HeadFile.url(objective: objective, in: scorers)
        return (try HeadFile.read(url), url.path)
    }

    /// The encoder, loaded on first use.
    private func sharedEncoder() throws -> ScorerEncoder {
        try lock.withLock {
            if let encoder { return encoder }
            let loaded = try ScorerEncoder(assets: encoderAssets)
            encoder = loaded
            return loaded
        }
    }
}
