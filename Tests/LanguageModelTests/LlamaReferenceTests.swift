import Foundation
import LanguageModel
import Tensors
import Testing

/// One prompt of `logits_cases.json` (made by scripts/reference/make_logits_fixture.py with transformers + torch).
struct LogitsCase: Decodable {
    let promptIds: [Int]
    let argmaxIds: [Int]
    let nextTokenLogprob: [Double]
    let lastLogitsFile: String
    let greedyIds: [Int]

    /// The reference's last-position logits `[V]`.
    func lastLogits() throws -> [Float] {
        let data = try Data(contentsOf: fixtureURL(lastLogitsFile))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func all() throws -> [LogitsCase] {
        struct File: Decodable { let cases: [LogitsCase] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: Data(contentsOf: fixtureURL("logits_cases.json"))).cases
    }
}

/// The f32 engine against transformers on the same GGUF.
@Suite struct LlamaReferenceTests {
    @Test func logitsMatchTheReference() throws {
        let model = try RealModel.model.get()
        let cases = try LogitsCase.all()
        #expect(cases.count >= 3)
        for (index, reference) in cases.enumerated() {
            var cache = model.makeCache(capacity: reference.promptIds.count)
            let logits = model.logits(model.hiddenStates(reference.promptIds, cache: &cache))   // [T, V]
            let v = logits.cols
            let argmax = (0..<logits.rows).map { VectorMath.argmax(logits.values[($0 * v)..<(($0 + 1) * v)]) }
            #expect(argmax == reference.argmaxIds, "case \(index): top-1 differs at positions \(zip(argmax, reference.argmaxIds).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset))")
            let last = logits.row(logits.rows - 1)
            let expected = try reference.lastLogits()
            let maxDelta = zip(last, expected).map { abs($0 - $1) }.max()!
            #expect(maxDelta <= 1e-2, "case \(index): max |Δ| of last-position logits is \(maxDelta)")
            print("logits case \(index): \(reference.promptIds.count) positions, top-1 equal at \(zip(argmax, reference.argmaxIds).filter { $0 == $1 }.count), last-position max |Δ| \(maxDelta)")
        }
    }

    @Test func greedyDecodingMatchesTheReference() throws {
        let model = try RealModel.model.get()
        for (index, reference) in try LogitsCase.all().enumerated() {
            var sampler = Sampler(.greedy, seed: 0)
            let generation = Generator(model: model).generate(
                prompt: reference.promptIds, maxNewTokens: reference.greedyIds.count, sampler: &sampler, stopTokens: [])
            #expect(generation.tokens == reference.greedyIds, "case \(index)")
        }
    }
}
