import LanguageModel
import Tensors

/// Samples responses for a batch of prompts from one adapter, every stream decoded in lockstep.
///
/// Each prompt is prefilled once; its KV cache is then copied to its k samples. Streams that reach the stop
/// token leave the batch; a response keeps its stop token (choosing to stop is part of what is learned).
public struct RolloutSampler: Sendable {
    public let engine: any LanguageEngine

    public init(engine: any LanguageEngine) {
        self.engine = engine
    }

    /// k responses per prompt, prompt-major; with `keptBlock`, also each sample's residual stream entering that block.
    public func sample(
        prompts: [[Int]], adapter: LoRAAdapter?, samplesPerPrompt k: Int, maxNewTokens: Int,
        sampling: SamplingParameters, random: inout SeededRandom, stopToken: Int, keepingInputOf keptBlock: Int? = nil
    ) -> Rollout {
        let (v, c) = (engine.config.vocabularySize, engine.config.embeddingWidth)
        var promptCaches = prompts.map { engine.makeCache(capacity: $0.count + maxNewTokens) }
        let prefill = engine.hiddenStates(prompts, caches: &promptCaches, adapters: prompts.map { _ in adapter },
                                          keepingInputOf: keptBlock)                                       // [ΣP, C]
        var promptRows: [Range<Int>] = []                                                                // each prompt's rows of the pass
        for prompt in prompts { promptRows.append((promptRows.last?.upperBound ?? 0)..<((promptRows.last?.upperBound ?? 0) + prompt.count)) }
        let lastHidden = promptRows.flatMap { prefill.hidden.row($0.upperBound - 1) }
        let promptLogits = engine.logits(Matrix(rows: prompts.count, cols: c, values: lastHidden))           // [P, V]
        var caches = promptCaches.flatMap { engine.makeCaches(k, capacity: $0.capacity, startingWith: $0) }   // P·k streams
        var entering: [[Float]] = prefill.entering.map { states in                                         // P·k × [P_p·C]
            promptRows.flatMap { Array(repeating: states.rows($0).values, count: k) }
        } ?? []
        var sampler = Sampler(sampling, seed: 0)
        sampler.random = random
        defer { random = sampler.random }

        var responses = [[Int]](repeating: [], count: prompts.count * k)
        var active: [Int] = []                                     // streams still generating
        for stream in responses.indices {
            let p = stream / k
            let token = sampler.sample(promptLogits.values[(p * v)..<((p + 1) * v)])
            responses[stream].append(token)
            if token != stopToken && maxNewTokens > 1 { active.append(stream) }
        }
        while !active.isEmpty {
            var batch = active.map { stream in                     // move the caches out (no copy-on-write)
                defer { caches[stream] = KVCache(config: engine.config, capacity: 0) }
                return caches[stream]
            }
            let step = engine.hiddenStates(active.map { [responses[$0].last!] }, caches: &batch,
                                           adapters: active.map { _ in adapter }, keepingInputOf: keptBlock)  // [A, C]
            let logits = engine.logits(step.hidden)                                                          // [A, V]
            var stillActive: [Int] = []
            for (row, stream) in active.enumerated() {
                caches[stream] = batch[row]
                if let states = step.entering { entering[stream] += states.values[(row * c)..<((row + 1) * c)] }
                let token = sampler.sample(logits.values[(row * v)..<((row + 1) * v)])
                responses[stream].append(token)
                if token != stopToken && responses[stream].count < maxNewTokens { stillActive.append(stream) }
            }
            active = stillActive
        }
        return Rollout(responses: responses, entering: entering.map { Matrix(rows: $0.count / c, cols: c, values: $0) })
    }
}
