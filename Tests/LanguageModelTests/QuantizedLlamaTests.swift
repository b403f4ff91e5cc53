import Foundation
@testable import LanguageModel
import Tensors
import Testing

/// The quantized engine against the f32 reference, and its batching, prefix and threading guarantees.
@Suite(.serialized) struct QuantizedLlamaTests {
    static let quantized: Result<QuantizedLlama, Error> = Result { try QuantizedLlama(gguf: try RealModel.file.get(), threads: 2) }

    /// Prompt token ids of the logits fixture's cases.
    static func fixturePrompts() throws -> [[Int]] {
        try LogitsCase.all().map(\.promptIds)
    }

    /// Argmax of every row of logits `[T, V]`.
    func argmaxes(_ logits: Matrix) -> [Int] {
        (0..<logits.rows).map { VectorMath.argmax(logits.values[(logits.cols * $0)..<(logits.cols * ($0 + 1))]) }
    }

    /// Total negative log-likelihood of each next token of `tokens` under their logits `[T, V]`.
    func totalNLL(_ logits: Matrix, tokens: [Int]) -> Double {
        var total = 0.0
        for t in 0..<(tokens.count - 1) {
            let row = Array(logits.values[(logits.cols * t)..<(logits.cols * (t + 1))])
            total -= Double(VectorMath.logSoftmax(row)[tokens[t + 1]])
        }
        return total
    }

    /// A LoRA adapter with random A and B (entries up to `bScale`/2) on `blocks`, so its delta is visible.
    func randomAdapter(_ config: LlamaConfig, seed: UInt64, blocks: [Int], bScale: Float = 0.02) -> LoRAAdapter {
        var random = SeededRandom(seed: seed)
        var adapter = LoRAAdapter(config: LoRAConfig(rank: 8, alpha: 32, dropout: 0, projections: Projection.allCases, blocks: blocks),
                                  model: config, random: &random)
        for slot in adapter.slots {
            for i in 0..<(8 * slot.outWidth) { adapter.parameters[slot.bOffset + i] = (random.nextUnitFloat() - 0.5) * bScale }
        }
        return adapter
    }

    // MARK: - Against the f32 reference

    /// Top-1 on every prompt position of the fixture; perplexity of a fixed text: each fixture prompt
    /// followed by the reference's greedy continuation. The default `refined` is held to the bar
    /// (98%, 1%); `fast` to its documented figures with a margin (95%, 2%).
    @Test(arguments: [(QuantizedLlama.Precision.refined, 0.98, 0.01), (.fast, 0.95, 0.02)])
    func topTokenAndPerplexityMatchTheF32Path(precision: QuantizedLlama.Precision, bar: Double, perplexityBar: Double) throws {
        let reference = try RealModel.model.get()
        let model = precision == .refined ? try Self.quantized.get() : try QuantizedLlama(gguf: try RealModel.file.get(), threads: 2, precision: precision)
        var agree = 0, positions = 0, predicted = 0
        var nllReference = 0.0, nllQuantized = 0.0
        for fixture in try LogitsCase.all() {
            let text = fixture.promptIds + fixture.greedyIds, t = fixture.promptIds.count
            var cacheF = reference.makeCache(capacity: text.count)
            var cacheQ = model.makeCache(capacity: text.count)
            let logitsF = reference.logits(reference.hiddenStates(text, cache: &cacheF))
            let logitsQ = model.logits(model.hiddenStates(text, cache: &cacheQ))
            agree += zip(argmaxes(logitsF.rows(0..<t)), argmaxes(logitsQ.rows(0..<t))).filter { $0 == $1 }.count
            positions += t
            nllReference += totalNLL(logitsF, tokens: text)
            nllQuantized += totalNLL(logitsQ, tokens: text)
            predicted += text.count - 1
        }
        let agreement = Double(agree) / Double(positions)
        let perplexityRatio = exp(nllQuantized / Double(predicted)) / exp(nllReference / Double(predicted))
        print("quantized (\(precision)) vs f32: top-1 agreement \(agree)/\(positions) = \(agreement), perplexity ratio \(perplexityRatio)")
        #expect(agreement >= bar)
        #expect(abs(perplexityRatio - 1) <= perplexityBar)
    }

    @Test func loraDeltaMatchesTheF32Path() throws {
        let reference = try RealModel.model.get(), model = try Self.quantized.get()
        let adapter = randomAdapter(model.config, seed: 7, blocks: Array(20..<30), bScale: 0.2)
        let prompt = try Self.fixturePrompts()[0]
        var cacheF = reference.makeCache(capacity: prompt.count), cacheQ = model.makeCache(capacity: prompt.count)
        var baseF = reference.makeCache(capacity: prompt.count), baseQ = model.makeCache(capacity: prompt.count)
        let withF = reference.hiddenStates(prompt, cache: &cacheF, adapter: adapter).values
        let withQ = model.hiddenStates(prompt, cache: &cacheQ, adapter: adapter).values
        let deltaF = zip(withF, reference.hiddenStates(prompt, cache: &baseF).values).map { $0 - $1 }
        let deltaQ = zip(withQ, model.hiddenStates(prompt, cache: &baseQ).values).map { $0 - $1 }
        // The adapter moves both paths the same way: the deltas agree to within quantisation noise.
        let dot = zip(deltaF, deltaQ).reduce(0) { $0 + Double($1.0 * $1.1) }
        let cosine = dot / (sqrt(deltaF.reduce(0) { $0 + Double($1 * $1) }) * sqrt(deltaQ.reduce(0) { $0 + Double($1 * $1) }))
        print("LoRA delta cosine, quantized vs f32: \(cosine)")
        #expect(cosine > 0.95, "cosine of the LoRA deltas: \(cosine)")
    }

    // MARK: - Batching, prefixes, threads

    @Test func batchedStepEqualsSingleStreamRunsBitwise() throws {
        let model = try Self.quantized.get()
        let prompts = Array(try Self.fixturePrompts().prefix(3))
        let adapters: [LoRAAdapter?] = [randomAdapter(model.config, seed: 1, blocks: Array(0..<30)), nil,
                                        randomAdapter(model.config, seed: 2, blocks: Array(24..<30))]
        let next = [[57, 5248, 588, 22657], [29, 198, 19, 359], [1, 2, 3, 4]]
        // Together: one prefill pass for the three prompts, then four batched steps.
        var caches = prompts.map { model.makeCache(capacity: $0.count + 4) }
        var together = [[Float]](repeating: [], count: 3)
        let prefill = model.hiddenStates(prompts, caches: &caches, adapters: adapters)
        var row = 0
        for (i, prompt) in prompts.enumerated() {
            together[i] += prefill.values[(row * 576)..<((row + prompt.count) * 576)]
            row += prompt.count
        }
        for step in 0..<4 {
            let hidden = model.step(next.map { $0[step] }, caches: &caches, adapters: adapters)
            for i in 0..<3 { together[i] += hidden.values[(i * 576)..<((i + 1) * 576)] }
        }
        // Alone: each stream by itself.
        for i in 0..<3 {
            var cache = model.makeCache(capacity: prompts[i].count + 4)
            var alone = model.hiddenStates(prompts[i], cache: &cache, adapter: adapters[i]).values
            for step in 0..<4 { alone += model.hiddenStates([next[i][step]], cache: &cache, adapter: adapters[i]).values }
            #expect(alone == together[i], "stream \(i) differs from its single-stream run")
        }
    }

    /// Two prompts, each with three lockstep streams with adapters from block 24 up (and one without): the
    /// shared bottom blocks computed once per prompt give every stream exactly its full batched run.
    @Test func lockstepStreamsEqualTheirFullBatchedRunBitwise() throws {
        let model = try Self.quantized.get()
        let prompts = Array(try Self.fixturePrompts().prefix(2)), next = [[57, 5248, 588], [29, 198, 19]]
        let adapters: [LoRAAdapter?] = [randomAdapter(model.config, seed: 1, blocks: Array(24..<30)), nil,
                                        randomAdapter(model.config, seed: 2, blocks: Array(26..<30))]
        let streams = prompts.flatMap { [$0, $0, $0] }, streamAdapters = adapters + adapters
        var lockstep = streams.map { model.makeCache(capacity: $0.count + 3) }
        var batched = lockstep
        var shared = model.lockstepHiddenStates(prompts, caches: &lockstep, adapters: adapters).values
        var full = model.hiddenStates(streams, caches: &batched, adapters: streamAdapters).values
        for step in 0..<3 {
            let tokens = next.map { $0[step] }
            shared += model.lockstepHiddenStates(tokens.map { [$0] }, caches: &lockstep, adapters: adapters).values
            full += model.step(tokens.flatMap { [$0, $0, $0] }, caches: &batched, adapters: streamAdapters).values
        }
        #expect(shared == full)
        #expect(lockstep.map(\.count) == batched.map(\.count))
    }

    @Test func sharedPrefixEqualsAFullPrefillBitwise() throws {
        let model = try Self.quantized.get()
        let prompt = try Self.fixturePrompts()[1], split = 20
        var full = model.makeCache(capacity: prompt.count)
        let expected = model.hiddenStates(prompt, cache: &full)
        var prefix = model.makeCache(capacity: split)
        _ = model.hiddenStates(Array(prompt[..<split]), cache: &prefix)
        var cache = model.makeCache(capacity: prompt.count, copying: prefix)
        let rest = model.hiddenStates(Array(prompt[split...]), cache: &cache)
        #expect(rest.values == Array(expected.values[(split * 576)...]))
        #expect(model.logits(rest).values == model.logits(expected.rows(split..<prompt.count)).values)
    }

    @Test func streamsReadingASharedPrefixEqualStreamsWithCopiesBitwise() throws {
        let model = try Self.quantized.get()
        let prompt = try Self.fixturePrompts()[1], continuations = [[42, 7, 99], [5], [42, 8]]
        var prefix = model.makeCache(capacity: prompt.count)
        _ = model.hiddenStates(prompt, cache: &prefix)
        let capacity = prompt.count + 4
        var shared = model.makeCaches(3, capacity: capacity, startingWith: prefix)
        var copies = (0..<3).map { _ in model.makeCache(capacity: capacity, copying: prefix) }
        #expect(shared.allSatisfy { $0.prefix != nil && $0.count == prompt.count })
        // A batched pass, then a step of two streams (the shared prefix is read in place, never written).
        #expect(model.hiddenStates(continuations, caches: &shared, adapters: [nil, nil, nil]).values
                == model.hiddenStates(continuations, caches: &copies, adapters: [nil, nil, nil]).values)
        var (a, b) = ([shared[0], shared[2]], [copies[0], copies[2]])
        #expect(model.hiddenStates([[3], [4]], caches: &a, adapters: [nil, nil]).values
                == model.hiddenStates([[3], [4]], caches: &b, adapters: [nil, nil]).values)
    }

    /// A pass from the residual rows a pass kept entering block 26 (what the trainer's rollout keeps) gives that pass's
    /// hidden states, and its caches serve the next step from there too; in both engines, adapted top blocks included.
    @Test func passesFromAKeptResidualEqualTheWholePass() throws {
        let file = try RealModel.file.get()
        let prompts = Array(try Self.fixturePrompts().prefix(2))
        let adapter = randomAdapter(try LlamaConfig(gguf: file), seed: 5, blocks: Array(26..<30))
        let engines: [any LanguageEngine] = [try Self.quantized.get(), try RealModel.model.get()]
        for engine in engines {
            var whole = prompts.map { engine.makeCache(capacity: $0.count + 1) }
            var fromBlock = prompts.map { engine.makeCache(capacity: $0.count + 1) }
            for streams in [prompts, [[42], [43]]] {
                let pass = engine.forward(streams, caches: &whole, adapters: [adapter, adapter], keepingInputOf: 26, stop: { false })!
                let resumed = engine.hiddenStates(entering: pass.entering!, block: 26, lengths: streams.map(\.count),
                                                  caches: &fromBlock, adapters: [adapter, adapter])
                #expect(resumed.values == pass.hidden.values, "\(type(of: engine)), streams of \(streams.map(\.count))")
            }
        }
    }

    @Test func oneAndTwoThreadsGiveIdenticalResults() throws {
        let file = try RealModel.file.get()
        let prompt = try Self.fixturePrompts()[0]
        let adapter = randomAdapter(try LlamaConfig(gguf: file), seed: 3, blocks: Array(15..<30))
        let outputs = try [1, 2].map { threads in
            let model = try QuantizedLlama(gguf: file, threads: threads)
            var cache = model.makeCache(capacity: prompt.count + 1)
            let hidden = model.hiddenStates(prompt, cache: &cache, adapter: adapter)
            let step = model.hiddenStates([42], cache: &cache, adapter: adapter)
            return hidden.values + model.logits(step).values
        }
        #expect(outputs[0] == outputs[1])
    }
}
