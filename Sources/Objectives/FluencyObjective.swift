import Foundation
import LanguageModel
import Tensors

/// Fluency as in the paper: (50 − PPL) / 50 clipped to [1e-4, 0.9999], with PPL the frozen base model's
/// perplexity of the response tokens given the counselor chat prompt (system + client, generation prompt).
///
/// Batched over pairs that share the system prompt: its keys and values are computed once, and each pair
/// runs only its client turn and response through the model in one prefill. An empty response scores 1e-4.
public struct FluencyObjective: Objective {
    public static let objectiveName = "fluency"
    /// The score's clip range.
    public static let range = 1e-4...0.9999
    /// Positions a pair may use after the shared prefix before it gets a cache of its own.
    public static let pairCapacity = 512

    public let name = Self.objectiveName
    public let model: LlamaModel
    public let tokenizer: any Tokenizer
    public let prompt: CounselorPrompt
    /// The tokens every counselor prompt starts with, and their cache.
    private let prefix: [Int]
    private let prefixCache: KVCache

    /// Runs the shared prefix of the counselor prompt once.
    public init(model: LlamaModel, tokenizer: any Tokenizer, prompt: CounselorPrompt) {
        self.model = model
        self.tokenizer = tokenizer
        self.prompt = prompt
        let a = prompt.tokens(client: "a", tokenizer: tokenizer), b = prompt.tokens(client: "b", tokenizer: tokenizer)
        prefix = Array(zip(a, b).prefix { $0 == $1 }.map(\.0))
        var cache = model.makeCache(capacity: prefix.count + Self.pairCapacity)
        _ = model.hiddenStates(prefix, cache: &cache)
        prefixCache = cache
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
        var cache = prefixCache
        return zip(prompts, responses).map { client, response in
            let context = prompt.tokens(client: client, tokenizer: tokenizer)
            let answer = tokenizer.encode(response)
            guard !answer.isEmpty else { return .infinity }
            let shared = context.starts(with: prefix) && context.count + answer.count - prefix.count <= Self.pairCapacity
            let start = shared ? prefix.count : 0
            let hidden: Matrix                                      // [T, C], T = context.count − start + A
            if shared {
                cache.truncate(to: prefix.count)
                hidden = model.hiddenStates(Array(context[start...]) + answer, cache: &cache)
            } else {
                var own = model.makeCache(capacity: context.count + answer.count)
                hidden = model.hiddenStates(context + answer, cache: &own)
            }
            // Rows predicting the answer: the last context token's and all but the last answer token's.
            let first = context.count - start - 1
            let logits = model.logits(hidden.rows(first..<(first + answer.count)))     // [A, V]
            var nll = 0.0
            for (row, token) in answer.enumerated() {
                let logProbabilities = VectorMath.logSoftmax(logits.row(row))
                nll -= Double(logProbabilities[token])
            }
            return exp(nll / Double(answer.count))
        }
    }
}
