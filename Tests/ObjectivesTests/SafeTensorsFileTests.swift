import Foundation
import Testing
import Tensors

/// The safetensors reader on the real encoder file and on damaged files; the writer's round trip and atomicity.
/// (These test Tensors types; they live here because the encoder is their first user.)
struct SafeTensorsFileTests {
    // MARK: - Real file

    @Test func readsTheEncoderHeader() throws {
        let file = try SafeTensorsFile(path: Assets.encoder.modelPath)
        #expect(file.metadata == ["format": "pt"])
        let layers = Set(file.tensorNames.compactMap { $0.split(separator: ".").dropFirst(2).first.flatMap { Int($0) } })
        #expect(layers == Set(0..<6))
        #expect(try file.tensor("embeddings.word_embeddings.weight").shape == [30522, 384])
        #expect(try file.tensor("encoder.layer.5.intermediate.dense.weight").shape == [1536, 384])
        #expect(try file.tensor("encoder.layer.0.output.dense.weight").shape == [384, 1536])
        #expect(try file.tensor("embeddings.position_ids").dtype == .i64)
        #expect(throws: SafeTensorsError.self) { try file.floats("embeddings.position_ids") }
        #expect(throws: SafeTensorsError(path: file.path, tensor: "pooler.dense.bias", reason: "shape [384], expected [383]")) {
            try file.floats("pooler.dense.bias", shape: [383])
        }
    }

    // MARK: - Damaged files

    /// A header (as JSON text) followed by `data` bytes, with the length prefix given or computed.
    static func file(header: String, data: Int = 0, headerLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: (headerLength ?? UInt64(json.count)).littleEndian, Array.init) + json + [UInt8](repeating: 0, count: data)
    }

    static let damaged: [(name: String, bytes: [UInt8], tensor: String?, reason: String)] = [
        ("truncated", [1, 0, 0], nil, "too short"),
        ("header length past end", file(header: "{}", headerLength: 4096), nil, "header length 4096 runs past the end"),
        ("bad JSON", file(header: "{\"a\": [1, 2"), nil, "not a JSON object"),
        ("unknown dtype", file(header: #"{"w":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}"#, data: 4), "w", "unknown dtype \"F7\""),
        ("offsets out of range", file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: 8), "w", "run past the end of the data section"),
        ("size does not match shape", file(header: #"{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,16]}}"#, data: 16), "w", "needs 8"),
        ("overlap", file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: 12), "b", "overlaps"),
        ("gap", file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), "a", "leaves a gap"),
        ("bad metadata", file(header: #"{"__metadata__":{"n":1}}"#), nil, "__metadata__"),
    ]

    @Test(arguments: damaged.indices)
    func damagedFileNamesFileAndTensor(index: Int) throws {
        let damaged = Self.damaged[index]
        try withTemporaryFolder { folder in
            let path = folder + "/damaged.safetensors"
            try Data(damaged.bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafeTensorsFile(path: path)
                Issue.record("\(damaged.name): no error")
            } catch let error as SafeTensorsError {
                #expect(error.path == path, "\(damaged.name)")
                #expect(error.tensor == damaged.tensor, "\(damaged.name)")
                #expect(error.reason.contains(damaged.reason), "\(damaged.name): \(error)")
                #expect(error.description.hasPrefix(path))
            }
        }
    }

    // MARK: - Writer

    @Test func writerRoundTrip() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/adapter.safetensors"
            let tensors: [String: SafeTensorsWriter.Tensor] = [
                "b.lora_B.weight": .init(shape: [3, 2], values: [1, -2, 3.5, 0, .infinity, -0.0]),
                "a.lora_A.weight": .init(Matrix(rows: 2, cols: 1, values: [7, 8])),
                "scalar": .init(shape: [], values: [42]),
            ]
            let metadata = ["format": "pt", "note": "a \"quoted\"/path"]
            try SafeTensorsWriter.write(tensors, metadata: metadata, to: path)
            let file = try SafeTensorsFile(path: path)
            #expect(file.metadata == metadata)
            #expect(file.tensorNames == ["a.lora_A.weight", "b.lora_B.weight", "scalar"])
            for (name, tensor) in tensors {
                #expect(try file.tensor(name).shape == tensor.shape)
                #expect(try file.floats(name).map(\.bitPattern) == tensor.values.map(\.bitPattern))
            }
            let raw = try Data(contentsOf: URL(fileURLWithPath: path))
            let headerLength = raw.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            #expect(headerLength % 8 == 0)
            #expect(String(decoding: raw[8..<(8 + 13)], as: UTF8.self) == "{\"__metadata_")
        }
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        try withTemporaryFolder { folder in
            let tensor = SafeTensorsWriter.Tensor(shape: [1], values: [1])
            try FileManager.default.createDirectory(atPath: folder + "/taken", withIntermediateDirectories: false)
            #expect(throws: AtomicFile.WriteError.self) { try SafeTensorsWriter.write(["w": tensor], to: folder + "/taken") }
            #expect(throws: AtomicFile.WriteError.self) { try SafeTensorsWriter.write(["w": tensor], to: folder + "/missing/w.safetensors") }
            #expect(throws: SafeTensorsError.self) {
                try SafeTensorsWriter.write(["w": .init(shape: [2], values: [1])], to: folder + "/w.safetensors")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["taken"])
        }
    }

    @Test func failedWriteKeepsThePreviousFile() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/state.bin"
            try AtomicFile.write(to: path) { try $0.append(contentsOf: Array("old".utf8)) }
            struct Interrupted: Error {}
            #expect(throws: Interrupted.self) {
                try AtomicFile.write(to: path) { sink in
                    try sink.append(contentsOf: Array("partial".utf8))
                    throw Interrupted()
                }
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["state.bin"])
        }
    }
}
