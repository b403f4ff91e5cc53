import Foundation
@testable import LanguageModel
import Tensors

/// A tiny random llama model built in memory: 3 blocks, C=16, H=4, Hkv=2, F=24, V=40.
enum TinyModel {
    static let config = LlamaConfig(blockCount: 3, embeddingWidth: 16, feedForwardWidth: 24, headCount: 4, kvHeadCount: 2,
                                    rmsEpsilon: 1e-5, ropeBase: 10_000, vocabularySize: 40, contextLength: 64)

    static func make(seed: UInt64 = 7) -> LlamaModel {
        var random = SeededRandom(seed: seed)
        let (c, f, kv, v) = (config.embeddingWidth, config.feedForwardWidth, config.kvWidth, config.vocabularySize)
        func matrix(_ rows: Int, _ cols: Int, _ std: Float) -> Matrix {
            Matrix(rows: rows, cols: cols, values: random.normals(rows * cols, std: std))
        }
        func norm() -> [Float] { random.normals(c, std: 0.2).map { 1 + $0 } }
        let blocks = (0..<config.blockCount).map { _ in
            BlockWeights(attentionNorm: norm(), query: matrix(c, c, 0.3), key: matrix(kv, c, 0.3), value: matrix(kv, c, 0.3),
                         output: matrix(c, c, 0.25), feedForwardNorm: norm(), gate: matrix(f, c, 0.3), up: matrix(f, c, 0.3),
                         down: matrix(c, f, 0.25))
        }
        let weights = LlamaWeights(tokenEmbedding: matrix(v, c, 1), blocks: blocks, outputNorm: norm())
        return LlamaModel(config: config, weights: weights)
    }

    /// An adapter over `blocks` with every A and B drawn from N(0, std²), so every gradient is non-trivial.
    static func adapter(blocks: [Int], dropout: Float = 0, std: Float = 0.1, seed: UInt64 = 11) -> LoRAAdapter {
        var adapter = LoRAAdapter(config: LoRAConfig(rank: 4, alpha: 8, dropout: dropout, projections: Projection.allCases, blocks: blocks),
                                  model: config)
        var random = SeededRandom(seed: seed)
        adapter.parameters = random.normals(adapter.parameters.count, std: std)
        return adapter
    }

    /// Three sequences of different lengths with signed per-token coefficients (and KL weights when asked).
    static func batch(kl: Bool = false, seed: UInt64 = 3) -> [TrainingSequence] {
        var random = SeededRandom(seed: seed)
        return [(9, 4), (14, 6), (5, 1)].map { length, scoredFrom in
            let tokens = (0..<length).map { _ in Int(random.next() % UInt64(config.vocabularySize)) }
            let scored = length - scoredFrom
            return TrainingSequence(tokens: tokens, scoredFrom: scoredFrom, coefficients: random.normals(scored, std: 1),
                                    klWeights: kl ? random.normals(scored, std: 1).map { abs($0) } : nil)
        }
    }
}

extension SeededRandom {
    /// `count` draws from N(0, std²) (Box–Muller).
    mutating func normals(_ count: Int, std: Float) -> [Float] {
        (0..<count).map { _ in
            let u1 = max(Double(nextUnitFloat()), 1e-12), u2 = Double(nextUnitFloat())
            return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)) * std
        }
    }
}
