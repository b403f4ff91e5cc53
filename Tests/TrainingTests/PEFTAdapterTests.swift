import Foundation
import LanguageModel
import Tensors
import Testing
import Training

/// Adapter folders: our files have exactly PEFT's names, shapes and dtypes, round-trip, and bad folders fail clearly.
@Suite struct PEFTAdapterTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-adapter-\(UUID().uuidString)")
    let fixture = fixtureURL("peft_adapter")

    /// name → (dtype, shape) of a safetensors file.
    private func layout(_ url: URL) throws -> [String: String] {
        try SafeTensorsFile(path: url.path).tensors.mapValues { "\($0.dtype.rawValue) \($0.shape)" }
    }

    @Test func savedFilesMatchPEFTsAndRoundTrip() throws {
        let model = try RealModel.model.get()
        let adapter = try PEFTAdapter.load(from: fixture, model: model.config)
        #expect(adapter.config == LoRAConfig(rank: 8, alpha: 32, dropout: 0, projections: Projection.allCases, blocks: [26, 27, 28, 29]))
        try PEFTAdapter.save(adapter, model: model.config, to: folder, baseModel: "HuggingFaceTB/SmolLM2-135M-Instruct")
        defer { try? FileManager.default.removeItem(at: folder) }

        let weights = PEFTAdapter.weightsFile
        #expect(try layout(folder.appendingPathComponent(weights)) == layout(fixture.appendingPathComponent(weights)))
        let ours = try SafeTensorsFile(path: folder.appendingPathComponent(weights).path)
        let theirs = try SafeTensorsFile(path: fixture.appendingPathComponent(weights).path)
        #expect(ours.metadata == theirs.metadata)
        for name in theirs.tensorNames { #expect(try ours.floats(name) == theirs.floats(name), "\(name)") }
        #expect(try PEFTAdapter.load(from: folder, model: model.config) == adapter)

        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(PEFTAdapter.configFile))) as! [String: Any]
        #expect(config["peft_type"] as? String == "LORA" && config["task_type"] as? String == "CAUSAL_LM")
        #expect(config["r"] as? Int == 8 && config["lora_alpha"] as? Int == 32 && config["layers_to_transform"] as? [Int] == [26, 27, 28, 29])
    }

    @Test func tinyAdapterWithDropoutRoundTrips() throws {
        let adapter = TinyModel.adapter(blocks: [0, 2], dropout: 0.05)
        try PEFTAdapter.save(adapter, model: TinyModel.config, to: folder, baseModel: "tiny")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try PEFTAdapter.load(from: folder, model: TinyModel.config) == adapter)
        let json = try String(contentsOf: folder.appendingPathComponent(PEFTAdapter.configFile), encoding: .utf8)
        #expect(json.contains("\"lora_dropout\" : 0.05"))
    }

    // MARK: - Bad folders

    /// Loading `folder` for `model` throws an error whose text contains `words`.
    private func expectFailure(_ model: LlamaConfig, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try PEFTAdapter.load(from: folder, model: model)
            Issue.record("loaded a bad adapter folder", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(words), "\(error)", sourceLocation: sourceLocation)
        }
    }

    /// A copy of the fixture adapter in `folder`.
    private func copyFixture() throws {
        try FileManager.default.copyItem(at: fixture, to: folder)
    }

    @Test func missingFolder() {
        expectFailure(TinyModel.config, "not a PEFT adapter folder")
    }

    @Test func adapterOfAnotherModel() throws {
        try copyFixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        expectFailure(TinyModel.config, "adapts layer 26 but the model has 3 blocks")
        var wider = TinyModel.config
        wider.blockCount = 30
        expectFailure(wider, "this model needs [8, 16]")
    }

    @Test func truncatedWeights() throws {
        try copyFixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try RealModel.model.get()
        let weights = folder.appendingPathComponent(PEFTAdapter.weightsFile)
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count / 2).write(to: weights)
        expectFailure(model.config, "truncated")
    }

    @Test func configAndWeightsThatDisagree() throws {
        let adapter = TinyModel.adapter(blocks: [0, 1])
        try PEFTAdapter.save(adapter, model: TinyModel.config, to: folder, baseModel: "tiny")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configURL = folder.appendingPathComponent(PEFTAdapter.configFile)
        let original = try String(contentsOf: configURL, encoding: .utf8)

        try original.replacingOccurrences(of: "\"up_proj\",\n", with: "").write(to: configURL, atomically: true, encoding: .utf8)
        expectFailure(TinyModel.config, "unexpected tensor")
        try original.replacingOccurrences(of: "0,\n    1\n", with: "0,\n    2\n").write(to: configURL, atomically: true, encoding: .utf8)
        expectFailure(TinyModel.config, "layers.2.self_attn.q_proj.lora_A.weight is missing")
        try original.replacingOccurrences(of: "\"r\" : 4", with: "\"r\" : 2").write(to: configURL, atomically: true, encoding: .utf8)
        expectFailure(TinyModel.config, "q_proj.lora_A.weight is [4, 16], this model needs [2, 16]")
        try original.replacingOccurrences(of: "\"use_dora\" : false", with: "\"use_dora\" : true").write(to: configURL, atomically: true, encoding: .utf8)
        expectFailure(TinyModel.config, "use_dora")
        try "{ not json".write(to: configURL, atomically: true, encoding: .utf8)
        expectFailure(TinyModel.config, "not a JSON object")
    }

    @Test func aFailedSaveLeavesNoPartialFiles() throws {
        let adapter = TinyModel.adapter(blocks: [1])
        defer { try? FileManager.default.removeItem(at: folder) }
        // A folder where the config file should go makes the save fail after the weights were written.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(PEFTAdapter.configFile), withIntermediateDirectories: true)
        #expect(throws: (any Error).self) {
            try PEFTAdapter.save(adapter, model: TinyModel.config, to: folder, baseModel: "tiny")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".tmp-") })
        #expect(try SafeTensorsFile(path: folder.appendingPathComponent(PEFTAdapter.weightsFile).path).tensorNames.count == 14)
    }
}
