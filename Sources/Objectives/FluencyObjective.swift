import Foundation
import LanguageModel
import Tensors

/// Fluency as in the paper: (50 − PPL) / 50 clipped to [1e-4, 0.9999], with PPL the frozen base model's
/// perplexity of the response tokens given the counselor chat prompt (system + client, generation prompt).
///
/// Batched: the system prompt's keys and values are computed once; pairs then go through the engine
/// `batchSize` at a time, each a stream of its client turn and response after a copy of that prefix, in one
/// pass, and only the rows that predict response tokens go through the head. An empty response scores 1e-4.
public struct FluencyObjective: Objective {
    public static let objectiveName = "fluency"
    /// The score's clip range.
    public static let range = 1e-4...0.9999
    /// Pairs in one pass of the engine.
    public static let batchSize = 16

    public let name = Self.objectiveName
    public let model: any LanguageEngine
    public let tokenizer: any Tokenizer
    public let prompt: CounselorPrompt
    /// The tokens every counselor prompt starts with, and their cache.
    private let prefix: [Int]
    private let prefixCache: KVCache

    /// Runs the shared prefix of the counselor prompt once.
    public init(model: any LanguageEngine, tokenizer: any Tokenizer, prompt: CounselorPrompt) {
        self.model = model
        self.tokenizer = tokenizer
        self.prompt = prompt
        let a = prompt.tokens(client: "a", tokenizer: tokenizer), b = prompt.tokens(client: "b", tokenizer: tokenizer)
        prefix = Array(zip(a, b).prefix { $0 == $1 }.map(\.0))
        var caches = [model.makeCache(capacity: prefix.count)]
        _ = model.hiddenStates([prefix], caches: &caches, adapters: [nil])
        prefixCache = caches[0]
    }

    /// The paper's mapping of a perplexity to a score.
    public static func score(perplexity: Double) -> Double {
        min(max((50 - perplexity) / 50, range.lowerBound), range.upperBound)
    }

    public func score(prompts: [String], responses: [String]) throws -> [Double] {
        perplexities(prompts: prompts, responses: responses).map(Self.score(perplexity:))
    }

    /// exp(mean negative log-likelihood of the response tokens) per pair; +∞ for an empty response.
    public func perplexities(prompts: [String], responses: [String]) -> [Double] {
        precondition(prompts.count == responses.count, "\(prompts.count) prompts for \(responses.count) responses")
        var perplexities = [Double](repeating: .infinity, count: prompts.count)
        let pairs = prompts.indices.compactMap { i -> (index: Int, context: [Int], answer: [Int])? in
            let answer = tokenizer.encode(responses[i])
            return answer.isEmpty ? nil : (i, prompt.tokens(client: prompts[i], tokenizer: tokenizer), answer)
        }
        for start in stride(from: 0, to: pairs.count, by: Self.batchSize) {
            let batch = pairs[start..<min(start + Self.batchSize, pairs.count)]
            // Each pair after the shared prefix when its prompt starts with it, else from scratch.
            let skips = batch.map { $0.context.starts(with: prefix) ? prefix.count : 0 }
            let streams = zip(batch, skips).map { pair, skip in Array(pair.context[skip...]) + pair.answer }
            var caches = zip(streams, skips).map { stream, skip in
                skip > 0 ? model.makeCache(capacity: skip + stream.count, copying: prefixCache)
                         : model.makeCache(capacity: stream.count)
            }
            let hidden = model.hiddenStates(streams, caches: &caches, adapters: streams.map { _ in nil })   // [ΣTᵢ, C]
            // Rows predicting the answer: each pair's last context row and all but its last answer row.
            var rows: [Int] = [], end = 0
            for (pair, stream) in zip(batch, streams) {
                let first = end + stream.count - pair.answer.count - 1
                rows += first..<(first + pair.answer.count)
                end += stream.count
            }
            let logits = model.logits(hidden.gathering(rows: rows))                                       // [ΣAᵢ, V]
            var row = 0
            for pair in batch {
                var nll = 0.0
                for token in pair.answer {
                    nll -= Double(VectorMath.logSoftmax(logits.row(row))[token])
                    row += 1
                }
                perplexities[pair.index] = exp(nll / Double(pair.answer.count))
            }
        }
        return perplexities
    }
}
