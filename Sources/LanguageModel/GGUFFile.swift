import Tensors

/// A GGUF (v2/v3) model file: typed metadata and memory-mapped tensors.
///
/// Layout: magic "GGUF", version u32, tensor count u64, metadata count u64, metadata key/values,
/// tensor infos (name, dims with the fastest-varying first, type, offset), padding to `general.alignment`,
/// then the tensor data. Every read is bounds-checked: a damaged file throws `FileError`, never traps.
public final class GGUFFile: Sendable {
    /// Where a tensor's bytes are and how to decode them.
    public struct TensorInfo: Sendable {
        public let name: String
        /// Dimensions as ggml orders them: `dims[0]` varies fastest (a linear weight is `[in, out]`).
        public let dims: [Int]
        public let format: BlockFormat
        /// Byte offset of the data from the start of the file.
        public let fileOffset: Int
        public var elementCount: Int { dims.reduce(1, *) }
        public var byteCount: Int { format.byteCount(elements: elementCount) }
    }

    public let path: String
    public let version: Int
    public let metadata: [String: GGUFValue]
    public let tensors: [String: TensorInfo]
    /// Tensor names in file order.
    public let tensorNames: [String]
    private let file: MappedFile

    /// Opens and validates `path`.
    public init(path: String) throws {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let error as MappedFile.OpenError {
            throw FileError(path: path, reason: error.reason)
        }
        self.file = file
        self.path = path
        var reader = ByteReader(bytes: file.bytes, path: path)

        let magic = try reader.read(UInt32.self, what: "magic")
        guard magic == 0x4655_4747 else {
            throw FileError(path: path, reason: "not a GGUF file (magic \(String(magic, radix: 16)), expected 46554747 \"GGUF\")")
        }
        let version = try reader.read(UInt32.self, what: "version")
        guard version == 2 || version == 3 else {
            throw FileError(path: path, reason: "unsupported GGUF version \(version) (expected 2 or 3)")
        }
        self.version = Int(version)
        let tensorCount = try reader.readCount(what: "tensor count")
        let metadataCount = try reader.readCount(what: "metadata count")

        var metadata: [String: GGUFValue] = [:]
        for _ in 0..<metadataCount {
            let key = try reader.readString(what: "metadata key")
            metadata[key] = try reader.readValue(what: "metadata \(key)")
        }
        self.metadata = metadata

        var infos: [(name: String, dims: [Int], format: BlockFormat, offset: Int)] = []
        for _ in 0..<tensorCount {
            let name = try reader.readString(what: "tensor name")
            let rank = try reader.read(UInt32.self, what: "rank of tensor \(name)")
            guard rank >= 1 && rank <= 4 else {
                throw FileError(path: path, reason: "tensor \(name) has rank \(rank) (expected 1 to 4)")
            }
            var dims: [Int] = []
            for _ in 0..<rank { dims.append(try reader.readCount(what: "dimension of tensor \(name)")) }
            let rawType = try reader.read(UInt32.self, what: "type of tensor \(name)")
            guard let format = BlockFormat(rawValue: rawType) else {
                throw FileError(path: path, reason: "unsupported tensor type \(Self.ggmlTypeName(rawType)) in tensor \(name)")
            }
            let offset = try reader.readCount(what: "offset of tensor \(name)")
            infos.append((name, dims, format, offset))
        }

        let alignment = metadata["general.alignment"]?.intValue ?? 32
        guard alignment > 0 && alignment % 8 == 0 else {
            throw FileError(path: path, reason: "general.alignment is \(alignment) (expected a positive multiple of 8)")
        }
        let dataStart = (reader.offset + alignment - 1) / alignment * alignment

        var tensors: [String: TensorInfo] = [:]
        for info in infos {
            let elements = info.dims.reduce(1, *)
            guard elements % info.format.blockSize == 0 else {
                throw FileError(path: path, reason: "tensor \(info.name) has \(elements) elements, not a whole number of \(info.format.name) blocks")
            }
            let tensor = TensorInfo(name: info.name, dims: info.dims, format: info.format, fileOffset: dataStart + info.offset)
            guard info.offset % alignment == 0, tensor.fileOffset + tensor.byteCount <= file.bytes.count else {
                throw FileError(path: path, reason: "tensor \(info.name) data (offset \(tensor.fileOffset), \(tensor.byteCount) bytes) lies past the end of the file (\(file.bytes.count) bytes): the file is truncated or corrupt")
            }
            tensors[info.name] = tensor
        }
        self.tensors = tensors
        self.tensorNames = infos.map(\.name)
    }

    /// The raw bytes of a tensor.
    public func data(of tensor: TensorInfo) -> UnsafeRawPointer {
        file.bytes.baseAddress! + tensor.fileOffset
    }

    /// Looks up a tensor, throwing a message that names it when absent.
    public func tensor(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else {
            throw FileError(path: path, reason: "missing tensor \(name)")
        }
        return info
    }

    /// A tensor decoded to f32, as a `[rows, cols]` matrix with `cols = dims[0]`.
    public func matrix(_ name: String) throws -> Matrix {
        let info = try tensor(name)
        let cols = info.dims[0]
        var m = Matrix(rows: info.elementCount / cols, cols: cols)
        m.values.withUnsafeMutableBufferPointer { out in
            info.format.dequantize(data(of: info), count: info.elementCount, into: out.baseAddress!)
        }
        return m
    }

    /// A 1-D tensor decoded to f32.
    public func vector(_ name: String) throws -> [Float] {
        try matrix(name).values
    }

    // MARK: - Typed metadata access

    /// A required integer field.
    public func int(_ key: String) throws -> Int {
        guard let v = metadata[key]?.intValue else { throw missing(key, "an integer") }
        return v
    }

    /// A required numeric field as Double.
    public func double(_ key: String) throws -> Double {
        guard let v = metadata[key]?.doubleValue else { throw missing(key, "a number") }
        return v
    }

    /// A required string field.
    public func string(_ key: String) throws -> String {
        guard let v = metadata[key]?.stringValue else { throw missing(key, "a string") }
        return v
    }

    /// A required array of strings.
    public func strings(_ key: String) throws -> [String] {
        guard let array = metadata[key]?.arrayValue else { throw missing(key, "an array of strings") }
        return try array.map { value in
            guard let s = value.stringValue else { throw missing(key, "an array of strings") }
            return s
        }
    }

    /// A required array of integers.
    public func ints(_ key: String) throws -> [Int] {
        guard let array = metadata[key]?.arrayValue else { throw missing(key, "an array of integers") }
        return try array.map { value in
            guard let v = value.intValue else { throw missing(key, "an array of integers") }
            return v
        }
    }

    private func missing(_ key: String, _ expected: String) -> FileError {
        FileError(path: path, reason: metadata[key] == nil
            ? "missing metadata \(key) (expected \(expected))"
            : "metadata \(key) is not \(expected)")
    }

    /// ggml's name for a type id, for error messages.
    static func ggmlTypeName(_ raw: UInt32) -> String {
        let names: [UInt32: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
            10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS",
            17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS",
            24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 30: "BF16",
        ]
        return names[raw] ?? "#\(raw)"
    }
}
