import Foundation
import LanguageModel
import Tensors
import Testing
import Training

/// `emorl search` and `emorl generate --adapters` as a user runs them: the real binary, a tiny model,
/// two random adapters, the toy external scorer.
@Suite(.serialized) struct SearchCommandTests {
    let cli = TrainCommandTests()

    /// A tiny model and two adapter folders with random, non-zero LoRA factors.
    func setup() throws -> (folder: URL, model: String, adapters: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = folder.appendingPathComponent("tiny.gguf")
        try TinyLlama.write(to: model, seed: 5)
        let adapters = try (0..<2).map { i in
            var random = SeededRandom(seed: UInt64(40 + i))
            var adapter = LoRAAdapter(config: LoRAConfig(rank: 4, alpha: 8, dropout: 0, projections: Projection.allCases, blocks: [1, 2]),
                                      model: TinyLlama.config, random: &random)
            for k in adapter.parameters.indices { adapter.parameters[k] = (random.nextUnitFloat() - 0.5) * 0.5 }
            let url = folder.appendingPathComponent("adapter\(i)")
            try PEFTAdapter.save(adapter, model: TinyLlama.config, to: url, baseModel: "tiny")
            return url.path
        }
        return (folder, model.path, adapters)
    }

    @Test func searchLogsEveryEvaluationAndTheBestWeights() throws {
        let (folder, model, adapters) = try setup()
        let scorer = TrainCommandTests.packageRoot.appendingPathComponent("Tests/ObjectivesTests/Fixtures/toy_scorer.py").path
        let out = folder.appendingPathComponent("search")
        let status = try cli.runToEnd(["search", "--model", model, "--adapters"] + adapters + [
            "--objectives", "external:python3 \(scorer)", "--prompts", "2", "--levels", "2", "--max-tokens", "4", "--out", out.path,
        ], log: folder.appendingPathComponent("search.log"))
        let output = cli.log(folder, "search.log")
        #expect(status == 0, "\(output)")
        let lines = cli.log(out, "search.jsonl").split(separator: "\n")
        #expect(lines.count == 18, "two levels of 3² points")
        let best = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("best.json"))) as? [String: Any]
        #expect((best?["weights"] as? [Double])?.count == 2)
        #expect(best?["adapters"] as? [String] == adapters.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(best?["distinct_evaluations"] as? Int == 14, "9 points, then 5 new in the chosen quarter")
        #expect(output.contains("best weights"))
    }

    @Test func generateMixesTheAdaptersAndRefusesBadWeights() throws {
        let (folder, model, adapters) = try setup()
        let arguments = ["generate", "I keep losing sleep over work.", "--model", model, "--adapters"] + adapters
            + ["--temperature", "0", "--max-tokens", "5", "--json"]
        #expect(try cli.runToEnd(arguments + ["--weights", "0.7,0.4"], log: folder.appendingPathComponent("ok.log")) == 0,
                "\(cli.log(folder, "ok.log"))")
        #expect(cli.log(folder, "ok.log").contains("\"tokens\""))
        #expect(try cli.runToEnd(arguments + ["--weights", "0.7"], log: folder.appendingPathComponent("count.log")) != 0)
        #expect(cli.log(folder, "count.log").contains("--weights: 1 weights given for 2 adapters"))
        #expect(try cli.runToEnd(arguments + ["--weights", "0,0"], log: folder.appendingPathComponent("zero.log")) != 0)
        #expect(cli.log(folder, "zero.log").contains("all weights are zero"))
        #expect(try cli.runToEnd(arguments + ["--weights", "a,b"], log: folder.appendingPathComponent("text.log")) != 0)
        #expect(cli.log(folder, "text.log").contains("--weights must be comma-separated numbers"))
    }
}
