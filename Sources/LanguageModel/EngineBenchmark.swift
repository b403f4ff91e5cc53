import Foundation
import Tensors

/// Speed of the quantized engine on one model, as medians of repeated runs, with the f32 reference
/// path measured in the same run as a peer.
public enum EngineBenchmark {
    /// Three lockstep streams with adapters on `adapterBlocks` blocks from the top, hidden states mixed.
    public struct Ensemble: Sendable, Codable, Equatable {
        public var adapterBlocks: Int
        /// Decode steps per second (three streams, one mixed token).
        public var stepsPerSecond: Double
        /// Milliseconds for a 48-token reflection, the chat prompt included.
        public var reflectionMilliseconds: Double
    }

    /// Medians of `runs` runs.
    public struct Report: Sendable, Codable, Equatable {
        public var threads: Int
        public var kernelPath: String
        public var precision: String
        public var runs: Int
        /// Prompt tokens per second prefilling a 64-token prompt.
        public var prefillTokensPerSecond: Double
        /// New tokens per second of one stream (forward, head, argmax).
        public var decodeTokensPerSecond: Double
        /// Three streams with their own adapters mixed through the head, per adapter placement.
        public var ensembles: [Ensemble]
        /// The f32 `LlamaModel` on the same prompt, same threads (nil when skipped).
        public var referencePrefillTokensPerSecond: Double?
        public var referenceDecodeTokensPerSecond: Double?

        /// One line per figure, for terminals and logs.
        public var lines: [String] {
            func f(_ x: Double) -> String { String(format: "%.1f", x) }
            var out = [
                "emorl quantized (\(kernelPath), \(precision) precision, \(threads) threads, medians of \(runs))",
                "  prefill (64-token prompt)      \(f(prefillTokensPerSecond)) tok/s",
                "  decode, 1 stream               \(f(decodeTokensPerSecond)) tok/s",
            ]
            for e in ensembles {
                out += ["  3 streams, adapters on the top \(e.adapterBlocks) blocks:",
                        "    decode, mixed                \(f(e.stepsPerSecond)) steps/s",
                        "    48-token reflection          \(f(e.reflectionMilliseconds)) ms (chat prompt included)"]
            }
            if let p = referencePrefillTokensPerSecond, let d = referenceDecodeTokensPerSecond {
                out += ["emorl f32 reference (BLAS, \(threads) threads)",
                        "  prefill (64-token prompt)      \(f(p)) tok/s",
                        "  decode, 1 stream               \(f(d)) tok/s"]
            }
            return out
        }
    }

    /// Measures the engine on `gguf` with `threads` threads: prefill of `prompt` (64 tokens for the issue's
    /// figure), decode of `decodeTokens` after it, and a 48-token reflection after `chatPrompt` (the ~60-token
    /// counselor prompt). The three lockstep streams carry random rank-8 adapters on the top 4 blocks (where
    /// `emorl train` puts them) and, for comparison, on every block. `reference` adds the f32 path (it
    /// dequantises the model: ~0.5 GB, a few seconds).
    public static func run(gguf: GGUFFile, prompt: [Int], chatPrompt chat: [Int], threads: Int = 2, runs: Int = 5,
                           decodeTokens: Int = 64, precision: QuantizedLlama.Precision = .refined,
                           reference: Bool = true) throws -> Report {
        precondition(!prompt.isEmpty && !chat.isEmpty && decodeTokens > 0)
        BLAS.setThreadCount(threads)
        let model = try QuantizedLlama(gguf: gguf, threads: threads, precision: precision)
        let config = model.config
        let (prefill, decode) = prefillAndDecode(model, prompt: prompt, steps: decodeTokens, runs: runs)
        let ensembles = [4, config.blockCount].map { top in
            let adapters: [LoRAAdapter?] = (0..<3).map { i in
                randomAdapter(config, blocks: Array((config.blockCount - top)..<config.blockCount), seed: UInt64(i + 1))
            }
            let steps = median(runs) {
                var caches = (0..<3).map { _ in model.makeCache(capacity: decodeTokens + 1) }
                let hidden = model.lockstepHiddenStates([[prompt[0]]], caches: &caches, adapters: adapters)
                return seconds { _ = greedyMixed(model, count: decodeTokens + 1, hidden: hidden, caches: &caches, adapters: adapters) }
            }
            let reflection = median(runs) {
                seconds {
                    var caches = (0..<3).map { _ in model.makeCache(capacity: chat.count + 48) }
                    let hidden = model.lockstepLastHiddenStates([chat], caches: &caches, adapters: adapters)
                    _ = greedyMixed(model, count: 48, hidden: hidden, caches: &caches, adapters: adapters)
                }
            }
            return Ensemble(adapterBlocks: top, stepsPerSecond: Double(decodeTokens) / steps, reflectionMilliseconds: reflection * 1000)
        }
        var report = Report(threads: threads, kernelPath: ComputePool.kernelPath, precision: precision.rawValue, runs: runs,
                            prefillTokensPerSecond: Double(prompt.count) / prefill,
                            decodeTokensPerSecond: Double(decodeTokens) / decode, ensembles: ensembles)
        if reference {
            let f32 = try LlamaModel(gguf: gguf)
            let steps = 16
            let (p, d) = prefillAndDecode(f32, prompt: prompt, steps: steps, runs: runs)
            report.referencePrefillTokensPerSecond = Double(prompt.count) / p
            report.referenceDecodeTokensPerSecond = Double(steps) / d
        }
        return report
    }

    /// Median seconds to prefill `prompt`, and to decode `steps` greedy tokens after it, on `engine`.
    static func prefillAndDecode(_ engine: any LanguageEngine, prompt: [Int], steps: Int, runs: Int) -> (prefill: Double, decode: Double) {
        let prefill = median(runs) {
            var caches = [engine.makeCache(capacity: prompt.count)]
            return seconds { _ = engine.hiddenStates([prompt], caches: &caches, adapters: [nil]) }
        }
        let decode = median(runs) {
            var caches = [engine.makeCache(capacity: prompt.count + steps)]
            var logits = engine.logits(engine.lastHiddenStates([prompt], caches: &caches, adapters: [nil]))   // [1, V]
            return seconds {
                for _ in 0..<steps {
                    logits = engine.logits(engine.step([VectorMath.argmax(logits.values[...])], caches: &caches, adapters: [nil]))
                }
            }
        }
        return (prefill, decode)
    }

    /// EMORL's hidden-state mixing, greedy, weights 1/3 each: from the streams' hidden states `[3, C]`,
    /// `count` tokens (Σ wᵢ·hᵢ → head → argmax → every stream), so count − 1 batched steps.
    static func greedyMixed(_ model: QuantizedLlama, count: Int, hidden: Matrix, caches: inout [KVCache],
                            adapters: [LoRAAdapter?]) -> [Int] {
        let c = model.config.embeddingWidth, m = hidden.rows
        var hidden = hidden, tokens: [Int] = []
        while true {
            var mixed = Matrix(rows: 1, cols: c)                                       // [1, C]
            for i in 0..<m {
                for j in 0..<c { mixed.values[j] += hidden.values[i * c + j] / Float(m) }
            }
            tokens.append(VectorMath.argmax(model.logits(mixed).values[...]))
            if tokens.count == count { return tokens }
            hidden = model.lockstepHiddenStates([[tokens.last!]], caches: &caches, adapters: adapters)         // [M, C]
        }
    }

    /// A rank-8 adapter (alpha 32) with random A and small random B on `blocks`.
    static func randomAdapter(_ config: LlamaConfig, blocks: [Int], seed: UInt64) -> LoRAAdapter {
        var random = SeededRandom(seed: seed)
        var adapter = LoRAAdapter(config: LoRAConfig(rank: 8, alpha: 32, dropout: 0, projections: Projection.allCases, blocks: blocks),
                                  model: config, random: &random)
        for slot in adapter.slots {
            for i in 0..<(8 * slot.outWidth) { adapter.parameters[slot.bOffset + i] = (random.nextUnitFloat() - 0.5) * 0.01 }
        }
        return adapter
    }

    /// Wall seconds of `body`.
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median of `runs` results of `measure`, after one warm-up call.
    static func median(_ runs: Int, _ measure: () -> Double) -> Double {
        _ = measure()
        let values = (0..<max(1, runs)).map { _ in measure() }.sorted()
        return values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
    }
}
