import Foundation
import Tensors

/// Writes GGUF v3 files with f32 (or raw pre-encoded) tensors: tiny test models and damaged-file fixtures.
public struct GGUFWriter {
    /// One tensor to write: ggml dims (fastest first), its format's type id, and its encoded bytes.
    public struct Tensor {
        public var name: String
        public var dims: [Int]
        public var typeID: UInt32
        public var bytes: [UInt8]

        /// An f32 tensor from values.
        public init(name: String, dims: [Int], values: [Float]) {
            precondition(dims.reduce(1, *) == values.count, "tensor \(name): dims \(dims) do not hold \(values.count) values")
            self.init(name: name, dims: dims, typeID: BlockFormat.f32.rawValue,
                      bytes: values.withUnsafeBytes { Array($0) })
        }

        /// A tensor with any type id and raw bytes (for unsupported-type fixtures).
        public init(name: String, dims: [Int], typeID: UInt32, bytes: [UInt8]) {
            self.name = name
            self.dims = dims
            self.typeID = typeID
            self.bytes = bytes
        }
    }

    public var metadata: [(key: String, value: GGUFValue)] = []
    public var tensors: [Tensor] = []
    public let alignment = 32

    public init() {}

    /// The whole file's bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        append(UInt32(0x4655_4747), to: &out)
        append(UInt32(3), to: &out)
        append(UInt64(tensors.count), to: &out)
        append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            appendString(key, to: &out)
            append(typeID(of: value), to: &out)
            appendValue(value, to: &out)
        }
        var offset = 0
        for tensor in tensors {
            appendString(tensor.name, to: &out)
            append(UInt32(tensor.dims.count), to: &out)
            for d in tensor.dims { append(UInt64(d), to: &out) }
            append(tensor.typeID, to: &out)
            append(UInt64(offset), to: &out)
            offset += padded(tensor.bytes.count)
        }
        out += [UInt8](repeating: 0, count: padded(out.count) - out.count)
        for tensor in tensors {
            out += tensor.bytes
            out += [UInt8](repeating: 0, count: padded(tensor.bytes.count) - tensor.bytes.count)
        }
        return out
    }

    /// Writes the file atomically (temp file in the same folder, then rename).
    public func write(to url: URL) throws {
        try Data(encoded()).write(to: url, options: .atomic)
    }

    // MARK: - Encoding

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private func appendString(_ s: String, to out: inout [UInt8]) {
        append(UInt64(s.utf8.count), to: &out)
        out += Array(s.utf8)
    }

    private func typeID(of value: GGUFValue) -> UInt32 {
        switch value {
        case .uint: 10
        case .int: 11
        case .float: 12
        case .bool: 7
        case .string: 8
        case .array: 9
        }
    }

    private func appendValue(_ value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case .uint(let v): append(v, to: &out)
        case .int(let v): append(v, to: &out)
        case .float(let v): append(v.bitPattern, to: &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let s): appendString(s, to: &out)
        case .array(let values):
            append(values.first.map(typeID(of:)) ?? 8, to: &out)
            append(UInt64(values.count), to: &out)
            for v in values { appendValue(v, to: &out) }
        }
    }
}
