import Foundation
@testable import LanguageModel
import Tensors
import Testing

@Suite struct GGUFFileTests {
    /// Writes bytes to a fresh temp file and returns its path.
    func temp(_ bytes: [UInt8], _ name: String = "test.gguf") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-gguf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func expectError(_ bytes: [UInt8], containing text: String) throws {
        let path = try temp(bytes)
        do {
            _ = try GGUFFile(path: path)
            Issue.record("expected an error containing \"\(text)\"")
        } catch let error as FileError {
            #expect(error.path == path)
            #expect(error.description.contains(text), "message was: \(error)")
        }
    }

    @Test func readsTheDefaultModel() throws {
        let file = try RealModel.file.get()
        #expect(file.version == 3)
        #expect(file.tensorNames.count == 272)
        let config = try LlamaConfig(gguf: file)
        #expect(config == LlamaConfig(blockCount: 30, embeddingWidth: 576, feedForwardWidth: 1536, headCount: 9,
                                      kvHeadCount: 3, rmsEpsilon: 1e-5, ropeBase: 100_000, vocabularySize: 49152,
                                      contextLength: 8192))
        #expect(file.tensors["token_embd.weight"]?.format == .q8_0)
        #expect(file.tensors["blk.0.attn_q.weight"]?.format == .q4_1)
        #expect(file.tensors["output.weight"] == nil, "SmolLM2 ties its head to the embedding")
    }

    @Test func writerRoundTripsEveryValueType() throws {
        var writer = GGUFWriter()
        writer.metadata = [
            ("a.uint", .uint(7)), ("a.int", .int(-3)), ("a.float", .float(0.5)), ("a.bool", .bool(true)),
            ("a.string", .string("héllo")), ("a.array", .array([.string("x"), .string("y")])),
        ]
        writer.tensors = [GGUFWriter.Tensor(name: "w", dims: [3, 2], values: [1, 2, 3, 4, 5, 6])]
        let file = try GGUFFile(path: try temp(writer.encoded()))
        for (key, value) in writer.metadata { #expect(file.metadata[key] == value) }
        let w = try file.matrix("w")
        #expect(w == Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6]))
    }

    @Test func wrongMagic() throws {
        var bytes = GGUFWriter().encoded()
        bytes[0] = UInt8(ascii: "X")
        try expectError(bytes, containing: "not a GGUF file")
    }

    @Test func wrongVersion() throws {
        var bytes = GGUFWriter().encoded()
        bytes[4] = 9
        try expectError(bytes, containing: "unsupported GGUF version 9")
    }

    @Test(arguments: [0, 3, 11, 30, 140])
    func truncatedHeader(length: Int) throws {
        var writer = GGUFWriter()
        writer.metadata = [("general.architecture", .string("llama"))]
        writer.tensors = [GGUFWriter.Tensor(name: "w", dims: [4], values: [1, 2, 3, 4])]
        let bytes = writer.encoded()
        try expectError(Array(bytes.prefix(min(length, bytes.count - 1))),
                        containing: length >= 100 ? "past the end" : "truncated")
    }

    @Test func truncatedRealModel() throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: try RealModel.path()))
        let head = try handle.read(upToCount: 5_000_000) ?? Data()
        try expectError(Array(head), containing: "lies past the end of the file")
    }

    @Test func unsupportedTensorType() throws {
        var writer = GGUFWriter()
        writer.tensors = [GGUFWriter.Tensor(name: "blk.0.ffn_down.weight", dims: [256], typeID: 14, bytes: [UInt8](repeating: 0, count: 210))]
        try expectError(writer.encoded(), containing: "unsupported tensor type Q6_K in tensor blk.0.ffn_down.weight")
    }

    @Test func missingAssetSaysHowToFetchIt() throws {
        let cache = AssetCache(environment: ["EMORL_HOME": "/nonexistent/emorl"])
        #expect(throws: MissingAssetError.self) { try cache.require(cache.defaultModel) }
        let message = String(describing: MissingAssetError(path: cache.defaultModel.path))
        #expect(message.contains("scripts/setup") && message.contains("/nonexistent/emorl/SmolLM2-135M-Instruct.Q4_1.gguf"))
    }

    @Test func notALlamaModel() throws {
        var writer = GGUFWriter()
        writer.metadata = [("general.architecture", .string("bert"))]
        let file = try GGUFFile(path: try temp(writer.encoded()))
        #expect(throws: FileError.self) { try LlamaConfig(gguf: file) }
    }
}

@Suite struct TinyLlamaTests {
    @Test func writesALoadableModelWithATokenizer() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).gguf")
        try TinyLlama.write(to: url, seed: 3)
        let file = try GGUFFile(path: url.path)
        let model = try LlamaModel(gguf: file)
        #expect(model.config == TinyLlama.config)
        #expect(model.weights.blocks[1].gate == LlamaWeights.random(config: TinyLlama.config, seed: 3).blocks[1].gate)
        let tokenizer = try BPETokenizer(gguf: file)
        let text = "<|im_start|>user\nhéllo 42<|im_end|>\n"
        #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        #expect(tokenizer.encode("<|im_end|>") == [2])
    }
}
