import Foundation
import LanguageModel
import Tensors

/// Fluency as in the paper: (50 − PPL) / 50 clipped to [1e-4, 0.9999], with PPL the frozen base model's
/// perplexity of the response tokens given the counselor chat prompt (system + client, generation prompt).
///
/// Batched: the system prompt's keys and values are computed once, and each distinct client turn once per batch
/// (the samples of a prompt share it); responses then go through the engine about `batchSize` at a time, each
/// a stream after its prompt's keys and values, and only the rows that predict response tokens go through the
/// head. An empty response scores 1e-4.
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
        var answers: [String: [(index: Int, tokens: [Int])]] = [:], order: [String] = []
        for (i, response) in responses.enumerated() {
            let tokens = tokenizer.encode(response)
            guard !tokens.isEmpty else { continue }
            if answers[prompts[i]] == nil { order.append(prompts[i]) }
            answers[prompts[i], default: []].append((i, tokens))
        }
        let groups = order.map { PromptGroup(context: prompt.tokens(client: $0, tokenizer: tokenizer), answers: answers[$0]!) }
        for batch in Self.passes(answerCounts: groups.map(\.answers.count)) {
            score(Array(groups[batch]), into: &perplexities)
        }
        return perplexities
    }

    /// Consecutive runs of groups for one pass each: as many as fit in `batchSize` answers (at least one group).
    static func passes(answerCounts: [Int]) -> [Range<Int>] {
        var passes: [Range<Int>] = [], start = 0, answers = 0
        for (g, count) in answerCounts.enumerated() {
            if answers + count > batchSize, g > start {
                passes.append(start..<g)
                (start, answers) = (g, 0)
            }
            answers += count
        }
        if start < answerCounts.count { passes.append(start..<answerCounts.count) }
        return passes
    }

    /// The non-empty responses to one client statement: its counselor-prompt tokens and each answer's tokens.
    private struct PromptGroup {
        let context: [Int]
        let answers: [(index: Int, tokens: [Int])]
    }

    /// Perplexities of a batch of groups: each context runs once (after the shared system prefix when it starts
    /// with it), then every answer of the group runs after that context's keys and values, all in one pass.
    private func score(_ groups: [PromptGroup], into perplexities: inout [Double]) {
        let skips = groups.map { $0.context.starts(with: prefix) ? prefix.count : 0 }
        let suffixes = zip(groups, skips).map { group, skip in Array(group.context[skip...]) }
        var contextCaches = zip(suffixes, skips).map { suffix, skip in
            skip > 0 ? model.makeCache(capacity: skip + suffix.count, copying: prefixCache) : model.makeCache(capacity: suffix.count)
        }
        let contextLast = model.lastHiddenStates(suffixes, caches: &contextCaches, adapters: groups.map { _ in nil })  // [G, C]
        // Every answer token but the last is fed (an answer of one token is predicted by its context's last row alone).
        let streamed = groups.map { $0.answers.filter { $0.tokens.count > 1 } }
        var caches = zip(streamed, contextCaches).flatMap { answers, cache in
            model.makeCaches(answers.count, capacity: cache.capacity + (answers.map(\.tokens.count).max() ?? 1) - 1, startingWith: cache)
        }
        let streams = streamed.flatMap { $0.map { Array($0.tokens.dropLast()) } }
        let answerHidden = streams.isEmpty ? Matrix(rows: 0, cols: contextLast.cols)
            : model.hiddenStates(streams, caches: &caches, adapters: streams.map { _ in nil })               // [Σ(Aᵢ − 1), C]
        accumulate(groups.map(\.answers), contextLast: contextLast, answerHidden: answerHidden, into: &perplexities)
    }

    /// Reads each answer's perplexity from the hidden states that predict its tokens: its group's context row in
    /// `contextLast` `[G, C]`, then its own A − 1 rows in `answerHidden` `[Σ(Aᵢ − 1), C]` (answer after answer).
    private func accumulate(_ groups: [[(index: Int, tokens: [Int])]], contextLast: Matrix, answerHidden: Matrix,
                            into perplexities: inout [Double]) {
        let g = groups.count
        let stacked = Matrix(rows: g + answerHidden.rows, cols: answerHidden.cols,
                             values: contextLast.values + answerHidden.values)                      // [G + Σ(Aᵢ − 1), C]
        var rows: [Int] = [], answerRow = g
        for (groupIndex, answers) in groups.enumerated() {
            for answer in answers {
                rows.append(groupIndex)
                rows += answerRow..<(answerRow + answer.tokens.count - 1)
                answerRow += answer.tokens.count - 1
            }
        }
        let logits = model.logits(stacked.gathering(rows: rows))                                             // [ΣAᵢ, V]
        let v = logits.cols
        var row = 0
        logits.values.withUnsafeBufferPointer { z in
            for answers in groups {
                for answer in answers {
                    var nll = 0.0
                    for token in answer.tokens {
                        let rowStart = z.baseAddress! + row * v
                        nll -= Double(rowStart[token] - VectorMath.logSumExp(rowStart, count: v))
                        row += 1
                    }
                    perplexities[answer.index] = exp(nll / Double(answer.tokens.count))
                }
            }
        }
    }
}

extension FluencyObjective: RolloutScoring {
    /// The scores of a rollout's response tokens, from the residual rows its engine kept entering `trace.block`:
    /// only the blocks from there up run (the four adapted ones instead of thirty by default).
    public func score(_ trace: RolloutTrace) throws -> [Double] {
        perplexities(trace).map(Self.score(perplexity:))
    }

    /// exp(mean negative log-likelihood) of each sample's response tokens given its prompt; +∞ for an empty response.
    public func perplexities(_ trace: RolloutTrace) -> [Double] {
        var perplexities = [Double](repeating: .infinity, count: trace.responses.count)
        let k = trace.samplesPerPrompt
        let answerCounts = trace.prompts.indices.map { p in (p * k..<(p + 1) * k).filter { !trace.responses[$0].isEmpty }.count }
        for batch in Self.passes(answerCounts: answerCounts) {
            score(prompts: Array(batch), of: trace, into: &perplexities)
        }
        return perplexities
    }

    /// One pass for the samples of `prompts`: each prompt's rows (the same in all its samples) run the top blocks
    /// once; each answer's rows but its last token's continue after them.
    private func score(prompts: [Int], of trace: RolloutTrace, into perplexities: inout [Double]) {
        let k = trace.samplesPerPrompt, c = model.config.embeddingWidth
        let groups = prompts.map { p in (p * k..<(p + 1) * k).filter { !trace.responses[$0].isEmpty }.map { (index: $0, tokens: trace.responses[$0]) } }
        let contextLengths = prompts.map { trace.prompts[$0].count }
        let contextRows = zip(prompts, contextLengths).flatMap { p, length in trace.entering[p * k].rows(0..<length).values }
        var contextCaches = zip(groups, contextLengths).map { answers, length in
            model.makeCache(capacity: length + (answers.map(\.tokens.count).max() ?? 0))
        }
        let contextHidden = model.hiddenStates(entering: Matrix(rows: contextLengths.reduce(0, +), cols: c, values: contextRows),
                                               block: trace.block, lengths: contextLengths, caches: &contextCaches,
                                               adapters: prompts.map { _ in nil })                          // [ΣPᵢ, C]
        let contextLast = model.lastRows(contextHidden, lengths: contextLengths)                               // [G, C]
        // As in the text path: every answer token but the last is fed.
        var caches: [KVCache] = [], lengths: [Int] = [], answerRows: [Float] = []
        for (g, answers) in groups.enumerated() {
            let streamed = answers.filter { $0.tokens.count > 1 }
            caches += model.makeCaches(streamed.count, capacity: contextCaches[g].capacity, startingWith: contextCaches[g])
            for answer in streamed {
                lengths.append(answer.tokens.count - 1)
                answerRows += trace.entering[answer.index].rows(contextLengths[g]..<(contextLengths[g] + answer.tokens.count - 1)).values
            }
        }
        let answerHidden = lengths.isEmpty ? Matrix(rows: 0, cols: c)
            : model.hiddenStates(entering: Matrix(rows: lengths.reduce(0, +), cols: c, values: answerRows), block: trace.block,
                                 lengths: lengths, caches: &caches, adapters: lengths.map { _ in nil })      // [Σ(Aᵢ − 1), C]
        accumulate(groups, contextLast: contextLast, answerHidden: answerHidden, into: &perplexities)
    }
}
