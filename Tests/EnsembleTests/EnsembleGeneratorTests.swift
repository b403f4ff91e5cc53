@testable import Ensemble
import LanguageModel
import Tensors
import Testing

@Suite struct EnsembleGeneratorTests {
    let model = LlamaModel(config: .tiny, weights: .random(config: .tiny, seed: 11))
    let prompt = [3, 17, 5, 29, 8, 1]

    /// Three adapters with non-zero A and B (random), on different blocks, so each changes the model.
    var adapters: [LoRAAdapter] {
        (0..<3).map { i in
            var random = SeededRandom(seed: UInt64(100 + i))
            let config = LoRAConfig(rank: 4, alpha: 8, dropout: 0, projections: Projection.allCases, blocks: i == 2 ? [2] : [1, 2])
            var adapter = LoRAAdapter(config: config, model: .tiny, random: &random)
            for slot in adapter.slots {
                for j in 0..<(slot.outWidth * config.rank) { adapter.parameters[slot.bOffset + j] = (2 * random.nextUnitFloat() - 1) * 0.3 }
            }
            return adapter
        }
    }

    func greedy(_ run: (inout Sampler) throws -> Generation) rethrows -> [Int] {
        var sampler = Sampler(.greedy, seed: 0)
        return try run(&sampler).tokens
    }

    @Test(arguments: AggregationMode.allCases)
    func oneHotWeightsReproduceTheSingleAdapter(mode: AggregationMode) throws {
        let adapters = self.adapters
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        for i in adapters.indices {
            let weights = adapters.indices.map { $0 == i ? 1.0 : 0.0 }
            let mixed = try greedy { try ensemble.generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: 12, sampler: &$0, stopTokens: []) }
            let single = greedy { Generator(model: LlamaModel(config: .tiny, weights: model.weights)).generate(
                prompt: prompt, maxNewTokens: 12, sampler: &$0, stopTokens: [], adapter: adapters[i]) }
            #expect(mixed == single, "adapter \(i), mode \(mode)")
        }
    }

    @Test func parametersEqualAModelWithMergedWeights() throws {
        let adapters = self.adapters, weights = [0.2, 0.5, 0.9]
        let merged = MergedAdapter.merge(adapters, weights: weights, model: .tiny)
        var dense = model.weights
        for (adapter, w) in zip(adapters, weights) {
            for slot in adapter.slots {
                let delta = BLAS.linear(adapter.b(slot), Matrix(rows: slot.inWidth, cols: adapter.config.rank,
                                                                 values: transpose(adapter.a(slot)).values))  // [out, in] = B·A
                let factor = Float(w) * adapter.config.scale
                withProjection(&dense.blocks[slot.block], slot.projection) { m in
                    for k in m.values.indices { m.values[k] += factor * delta.values[k] }
                }
            }
        }
        var cacheA = model.makeCache(capacity: 16), cacheB = model.makeCache(capacity: 16)
        let viaAdapter = model.logits(model.hiddenStates(prompt, cache: &cacheA, adapter: merged))
        let viaDense = LlamaModel(config: .tiny, weights: dense).logits(LlamaModel(config: .tiny, weights: dense).hiddenStates(prompt, cache: &cacheB))
        let maxDelta = zip(viaAdapter.values, viaDense.values).map { abs($0 - $1) }.max()!
        #expect(maxDelta < 1e-4)
    }

    @Test(arguments: [
        ([0.0, 0.0, 0.0], "all weights are zero"),
        ([0.5, -0.1, 0.2], "must not be negative"),
        ([0.5, .nan, 0.2], "finite"),
        ([0.5, .infinity, 0.2], "finite"),
        ([0.5, 0.5], "2 weights given for 3 adapters"),
    ])
    func badWeightsAreRefused(weights: [Double], message: String) {
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        for mode in AggregationMode.allCases {
            var sampler = Sampler(.greedy, seed: 0)
            do {
                _ = try ensemble.generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: 2, sampler: &sampler, stopTokens: [])
                Issue.record("\(weights) accepted in mode \(mode)")
            } catch {
                #expect("\(error)".contains(message), "message was: \(error)")
            }
        }
    }

    @Test func hiddenWeightsAreNotNormalised() throws {
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        var caches = adapters.map { _ in model.makeCache(capacity: 8) }
        let hidden = model.lastHiddenStates(adapters.map { _ in prompt }, caches: &caches, adapters: adapters)   // [3, C]
        let a = ensemble.scores(hidden, weights: [0.2, 0.3, 0.1], mode: .hidden)
        let b = ensemble.scores(hidden, weights: [0.4, 0.6, 0.2], mode: .hidden)
        #expect(a != b)
    }

    /// A weight change on the same prompt reuses every prompt position (all but in `parameters` mode, where the
    /// merged adapter changes); a new prompt reuses the prefix it shares; the tokens equal a fresh generation's.
    @Test(arguments: AggregationMode.allCases)
    func aReusedPromptCacheGivesTheFreshTokens(mode: AggregationMode) throws {
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        let other = Array(prompt.prefix(4)) + [30, 31, 2]
        var cache = PromptCache()
        for (prompt, weights, reused) in [
            (prompt, [0.2, 0.5, 0.9], 0),
            (prompt, [0.7, 0.1, 0.3], mode == .parameters ? 0 : prompt.count),
            (other, [0.7, 0.1, 0.3], 4),
        ] {
            let cached = try greedy { try ensemble.generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: 10,
                                                            sampler: &$0, stopTokens: [], cache: &cache) }
            let fresh = try greedy { try ensemble.generate(prompt: prompt, weights: weights, mode: mode, maxNewTokens: 10,
                                                           sampler: &$0, stopTokens: []) }
            #expect(cached == fresh, "\(prompt) with \(weights)")
            #expect(cache.reused == reused, "\(prompt) with \(weights)")
        }
    }

    @Test func cancelsMidGeneration() throws {
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        var sampler = Sampler(.greedy, seed: 0)
        var seen = 0
        let g = try ensemble.generate(prompt: prompt, weights: [1, 1, 1], mode: .hidden, maxNewTokens: 20, sampler: &sampler,
                                      stopTokens: [], cancelled: { seen >= 3 }, onToken: { _ in seen += 1 })
        #expect(g.tokens.count == 3 && g.stopReason == .cancelled)
    }

    /// A generation cancelled while its prompt runs leaves a cache the next one can start from.
    @Test func aCancelledPromptLeavesAUsableCache() throws {
        let ensemble = EnsembleGenerator(model: model, adapters: adapters)
        var cache = PromptCache()
        var sampler = Sampler(.greedy, seed: 0)
        let cancelled = try ensemble.generate(prompt: prompt, weights: [1, 1, 1], mode: .logits, maxNewTokens: 5, sampler: &sampler,
                                              stopTokens: [], cache: &cache, cancelled: { true })
        #expect(cancelled.tokens.isEmpty && cancelled.stopReason == .cancelled)
        let cached = try greedy { try ensemble.generate(prompt: prompt, weights: [1, 1, 1], mode: .logits, maxNewTokens: 5,
                                                        sampler: &$0, stopTokens: [], cache: &cache) }
        let fresh = try greedy { try ensemble.generate(prompt: prompt, weights: [1, 1, 1], mode: .logits, maxNewTokens: 5,
                                                       sampler: &$0, stopTokens: []) }
        #expect(cached == fresh)
    }
}

func transpose(_ m: Matrix) -> Matrix {
    var t = Matrix(rows: m.cols, cols: m.rows)
    for r in 0..<m.rows { for c in 0..<m.cols { t[c, r] = m[r, c] } }
    return t
}

func withProjection(_ block: inout BlockWeights, _ projection: Projection, _ body: (inout Matrix) -> Void) {
    switch projection {
    case .query: body(&block.query)
    case .key: body(&block.key)
    case .value: body(&block.value)
    case .output: body(&block.output)
    case .gate: body(&block.gate)
    case .up: body(&block.up)
    case .down: body(&block.down)
    }
}
