import ArgumentParser
import Foundation
import LanguageModel

/// `emorl bench …`: speed figures as medians over repeated runs.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed: medians over repeated runs.",
        subcommands: [BenchGenerateCommand.self, BenchScoreCommand.self]
    )
}

/// `emorl bench generate`: prefill and decode tokens per second.
struct BenchGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Prefill tokens/s on a 64-token prompt and single-stream decode tokens/s."
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
    }

    func run() async throws {
        let (model, tokenizer) = try modelOptions.load()
        let prompt = Array(repeating: tokenizer.encode(BenchText.paragraph), count: 1 + promptTokens / 16)
            .flatMap { $0 }.prefix(promptTokens)
        let generator = Generator(model: model)
        var prefill: [Double] = [], decode: [Double] = []
        for run in 0...runs {   // run 0 warms up and is not counted
            var sampler = Sampler(.greedy, seed: 0)
            let g = generator.generate(prompt: Array(prompt), maxNewTokens: decodeTokens, sampler: &sampler, stopTokens: [])
            guard run > 0 else { continue }
            prefill.append(Double(promptTokens) / g.prefillSeconds)
            decode.append(Double(g.tokens.count - 1) / g.decodeSeconds)
        }
        print("emorl bench generate: \(runs) runs, \(modelOptions.threads) threads, medians")
        print(String(format: "prefill  %8.1f tok/s  (%d-token prompt)", median(prefill), promptTokens))
        print(String(format: "decode   %8.1f tok/s  (1 stream, %d tokens)", median(decode), decodeTokens))
    }
}

/// A fixed English paragraph for benchmark prompts.
enum BenchText {
    static let paragraph = """
    I have been feeling stretched thin at work lately, and when I get home I just sit in the car for a while \
    because I cannot face another conversation about what needs to be fixed.
    """
}

/// The median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
