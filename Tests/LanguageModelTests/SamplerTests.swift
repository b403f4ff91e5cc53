@testable import LanguageModel
import Foundation
import Tensors
import Testing

@Suite struct SamplerTests {
    let logits: [Float] = [0.5, 3.0, -1.0, 2.0, 2.5, 0.0]

    /// How often each token is drawn over `n` samples.
    func counts(_ parameters: SamplingParameters, seed: UInt64 = 7, n: Int = 20_000) -> [Int] {
        var sampler = Sampler(parameters, seed: seed)
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<n { counts[sampler.sample(logits[...])] += 1 }
        return counts
    }

    @Test func greedyTakesTheArgmax() {
        var sampler = Sampler(.greedy, seed: 1)
        #expect(sampler.sample(logits[...]) == 1)
    }

    @Test func sameSeedSameTokens() {
        var a = Sampler(SamplingParameters(temperature: 1, topK: 0, topP: 1), seed: 42)
        var b = Sampler(SamplingParameters(temperature: 1, topK: 0, topP: 1), seed: 42)
        var c = Sampler(SamplingParameters(temperature: 1, topK: 0, topP: 1), seed: 43)
        let da = (0..<200).map { _ in a.sample(logits[...]) }
        #expect(da == (0..<200).map { _ in b.sample(logits[...]) })
        #expect(da != (0..<200).map { _ in c.sample(logits[...]) })
    }

    @Test func topKKeepsOnlyTheKMostLikely() {
        let c = counts(SamplingParameters(temperature: 1, topK: 2, topP: 1))
        #expect(c[0] == 0 && c[2] == 0 && c[3] == 0 && c[5] == 0)
        #expect(c[1] > 0 && c[4] > 0)
    }

    @Test func topPKeepsTheSmallestSetReachingP() {
        // softmax mass of tokens 1, 4, 3 is ≈ 0.42, 0.26, 0.15: p = 0.6 keeps exactly tokens 1 and 4.
        let c = counts(SamplingParameters(temperature: 1, topK: 0, topP: 0.6))
        #expect(c[1] > 0 && c[4] > 0 && c[3] == 0 && c[0] == 0)
    }

    @Test func temperatureOneFollowsTheSoftmax() {
        let n = 40_000
        let c = counts(SamplingParameters(temperature: 1, topK: 0, topP: 1), n: n)
        let probabilities = VectorMath.logSoftmax(logits).map { exp(Double($0)) }
        for (i, p) in probabilities.enumerated() {
            let observed = Double(c[i]) / Double(n)
            #expect(abs(observed - p) < 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-3, "token \(i): \(observed) vs \(p)")
        }
    }

    @Test func mostLikelyEqualsAFullSort() {
        var random = SeededRandom(seed: 3)
        let values = (0..<1000).map { _ in Float(Int(random.nextUnitFloat() * 200)) }   // many ties
        let full = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var sampler = Sampler(SamplingParameters(temperature: 1, topK: 50, topP: 1), seed: 0)
        _ = sampler.sample(values[...])
        #expect(Sampler.mostLikely(values[...], limit: 50).map(\.token) == Array(full.prefix(50)))
    }

    @Test func seededRandomIsReproducible() {
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        let u = (0..<1000).map { _ in a.nextUnitFloat() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
