import ArgumentParser
import Foundation
import Corpus
import Ensemble
import LanguageModel
import Objectives

/// `emorl generate "<client statement>"`: streams a counselor reflection to stdout.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a counselor reflection of a client statement."
    )

    @Argument(help: "What the client said.")
    var statement: String

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var ensemble: EnsembleOptions

    @Option(name: .long, help: "Aggregation weights, one per adapter (e.g. 0.6,0.3,0.8): generate with the ensemble of --adapters (default: the shipped reflection, empathy and fluency adapters).")
    var weights: String?

    @Option(name: .customLong("system-prompt"), help: "A file with the counselor system prompt (default: data/counselor-system-prompt.txt).")
    var systemPromptFile: String?

    @Flag(name: .long, help: "Print one JSON object with token ids, text and timings instead of streaming text.")
    var json = false

    func validate() throws {
        guard !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the client statement is empty")
        }
        if let weights { _ = try parseWeights(weights, flag: "--weights") }
        if !ensemble.adapters.isEmpty && weights == nil {
            throw ValidationError("--adapters needs --weights (one per adapter), e.g. --weights 1,0.5,0.5")
        }
    }

    func run() throws {
        let (model, tokenizer) = try modelOptions.load()
        let counselor = try CounselorPrompt(contentsOf: systemPromptFile.map { URL(fileURLWithPath: $0) }
            ?? DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt"))
        let prompt = counselor.tokens(client: statement, tokenizer: tokenizer)
        var sampler = Sampler(sampling.parameters, seed: sampling.seed)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        func stream(_ token: Int) {
            if !json { FileHandle.standardOutput.write(Data(decoder.decode(token: token).utf8)) }
        }
        let generation: Generation
        if let weights {
            let adapters = try ensemble.load(try ensemble.adapterFolders(objectives: ObjectiveRegistry.builtIn), model: model.config)
            do {
                generation = try EnsembleGenerator(model: model, adapters: adapters).generate(
                    prompt: prompt, weights: try parseWeights(weights, flag: "--weights"), mode: ensemble.mode,
                    maxNewTokens: sampling.maxTokens, sampler: &sampler, stopTokens: [tokenizer.eosID], onToken: stream)
            } catch let error as EnsembleError {
                throw ValidationError("--weights: \(error.message)")
            }
        } else {
            generation = Generator(model: model).generate(
                prompt: prompt, maxNewTokens: sampling.maxTokens, sampler: &sampler, stopTokens: [tokenizer.eosID]) { stream($0); return true }
        }
        let text = tokenizer.decode(generation.tokens)
        if json {
            let report = GenerationReport(promptTokens: prompt, tokens: generation.tokens, text: text,
                                          stopReason: generation.stopReason.rawValue,
                                          prefillSeconds: generation.prefillSeconds, decodeSeconds: generation.decodeSeconds)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            FileHandle.standardOutput.write(Data((decoder.finish() + "\n").utf8))
        }
    }
}

/// What `generate --json` prints.
struct GenerationReport: Codable {
    var promptTokens: [Int]
    var tokens: [Int]
    var text: String
    var stopReason: String
    var prefillSeconds: Double
    var decodeSeconds: Double
}
