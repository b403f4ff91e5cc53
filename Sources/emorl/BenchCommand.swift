import ArgumentParser
import Foundation
import Corpus
import LanguageModel
import Tensors

/// `emorl bench …`: speed figures as medians over repeated runs.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed: medians over repeated runs.",
        subcommands: [BenchGenerateCommand.self, BenchScoreCommand.self, BenchTrainCommand.self, BenchDashboardCommand.self]
    )
}

/// `emorl bench generate`: prefill and decode tokens per second.
struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Prefill and decode speed of the quantized engine (1 and 3 streams, a mixed reflection) beside the f32 path."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Measured repetitions (the median is reported).")
    var runs: Int = 5

    @Option(name: .customLong("prompt-tokens"), help: "Prompt length for the prefill figure.")
    var promptTokens: Int = 64

    @Option(name: .customLong("decode-tokens"), help: "New tokens per decode run.")
    var decodeTokens: Int = 64

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be 1 or more, got \(runs)") }
        guard promptTokens >= 1 else { throw ValidationError("--prompt-tokens must be 1 or more, got \(promptTokens)") }
        guard decodeTokens >= 2 else { throw ValidationError("--decode-tokens must be 2 or more, got \(decodeTokens)") }
        guard QuantizedLlama.Precision(rawValue: precision) != nil else {
            throw ValidationError("--precision must be one of \(QuantizedLlama.Precision.allCases.map(\.rawValue).joined(separator: ", ")), got \(precision)")
        }
    }

    @Option(name: .long, help: "Activation precision of the quantized engine: refined (≈16-bit inputs) or fast (8-bit).")
    var precision: String = QuantizedLlama.Precision.refined.rawValue

    @Flag(name: .customLong("no-reference"), help: "Skip the f32 reference path (it dequantises the model).")
    var noReference = false

    @Flag(name: .long, help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let gguf = try GGUFFile(path: try modelOptions.modelPath())
        let tokenizer = try BPETokenizer(gguf: gguf)
        let prompt = Array(repeating: tokenizer.encode(BenchText.paragraph), count: 1 + promptTokens / 16)
            .flatMap { $0 }.prefix(promptTokens)
        let counselor = try CounselorPrompt(contentsOf: DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt"))
        let chat = counselor.tokens(client: BenchText.clientStatement, tokenizer: tokenizer)
        let report = try EngineBenchmark.run(gguf: gguf, prompt: Array(prompt), chatPrompt: chat, threads: modelOptions.threads,
                                             runs: runs, decodeTokens: decodeTokens, precision: QuantizedLlama.Precision(rawValue: precision)!,
                                             reference: !noReference)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("emorl bench generate: chat prompt \(chat.count) tokens, OpenBLAS \(BLAS.coreName) kernels for the f32 path")
            report.lines.forEach { print($0) }
        }
    }
}

/// A fixed English paragraph for benchmark prompts.
enum BenchText {
    static let paragraph = """
    I have been feeling stretched thin at work lately, and when I get home I just sit in the car for a while \
    because I cannot face another conversation about what needs to be fixed.
    """

    /// The client statement of the reflection figure.
    static let clientStatement = "I keep saying yes to everyone at work and now I have no time left for my own family."
}

/// The median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// The 1, 5 and 15 minute load averages, as `uptime` prints them.
func loadAverage() -> String {
    var loads = [Double](repeating: 0, count: 3)
    guard getloadavg(&loads, 3) == 3 else { return "unknown" }
    return loads.map { String(format: "%.2f", $0) }.joined(separator: ", ")
}
