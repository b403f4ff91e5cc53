import Foundation

/// Why a safetensors file could not be read, naming the file and, when one is at fault, the tensor.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let tensor: String?
    public let reason: String

    public init(path: String, tensor: String? = nil, reason: String) {
        self.path = path
        self.tensor = tensor
        self.reason = reason
    }

    public var description: String {
        tensor.map { "\(path): tensor \($0): \(reason)" } ?? "\(path): \(reason)"
    }
}

/// A memory-mapped safetensors file: named tensors described by a JSON header.
///
/// Layout: header length N (u64 little-endian), N bytes of JSON
/// (`{"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}`),
/// then the data section; offsets are relative to its start. As the reference library requires,
/// tensors must tile the data section exactly (no gap, no overlap, nothing after the last one).
/// A damaged file throws `SafeTensorsError`, never traps.
public final class SafeTensorsFile: Sendable {
    /// Where one tensor's bytes are and how to read them.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: SafeTensorsDType
        public let shape: [Int]
        /// Byte range within the data section.
        public let dataOffsets: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Headers larger than this are refused (the reference library's limit).
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    /// The free-form string map under `__metadata__`.
    public let metadata: [String: String]
    public let tensors: [String: TensorInfo]
    /// Tensor names in data order.
    public let tensorNames: [String]
    private let file: MappedFile
    private let dataStart: Int

    /// Opens and validates `path`.
    public init(path: String) throws {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let error as MappedFile.OpenError {
            throw SafeTensorsError(path: path, reason: error.reason)
        }
        self.file = file
        self.path = path
        let size = file.bytes.count

        guard size >= 8 else {
            throw SafeTensorsError(path: path, reason: "file is \(size) bytes, too short for the 8-byte header length: not a safetensors file, or truncated")
        }
        let headerLength = UInt64(littleEndian: file.bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(size - 8) else {
            throw SafeTensorsError(path: path, reason: "header length \(headerLength) runs past the end of the file (\(size) bytes): truncated or not a safetensors file")
        }
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw SafeTensorsError(path: path, reason: "header length \(headerLength) exceeds the \(Self.maximumHeaderLength)-byte limit")
        }
        dataStart = 8 + Int(headerLength)
        let header = Data(UnsafeRawBufferPointer(rebasing: file.bytes[8..<dataStart]))
        guard let json = try? JSONSerialization.jsonObject(with: header), let entries = json as? [String: Any] else {
            throw SafeTensorsError(path: path, reason: "header is not a JSON object")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else {
                    throw SafeTensorsError(path: path, reason: "__metadata__ is not a map of strings to strings")
                }
                metadata = map
            } else {
                tensors[name] = try Self.tensorInfo(name: name, entry: value, path: path)
            }
        }
        self.metadata = metadata
        self.tensors = tensors
        self.tensorNames = tensors.values.sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }.map(\.name)
        try checkTiling(dataSize: size - dataStart)
    }

    // MARK: - Header validation

    /// Reads and checks one tensor entry of the header (its own fields; placement is checked by `checkTiling`).
    private static func tensorInfo(name: String, entry: Any, path: String) throws -> TensorInfo {
        func fail(_ reason: String) -> SafeTensorsError { SafeTensorsError(path: path, tensor: name, reason: reason) }
        guard let fields = entry as? [String: Any] else { throw fail("entry is not a JSON object") }
        guard let dtypeName = fields["dtype"] as? String else { throw fail("missing or non-string \"dtype\"") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail("unknown dtype \"\(dtypeName)\" (expected one of \(known))")
        }
        guard let shape = fields["shape"] as? [Int], shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("missing \"shape\", or it is not a list of non-negative integers")
        }
        guard let offsets = fields["data_offsets"] as? [Int], offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("\"data_offsets\" must be two integers [begin, end] with 0 ≤ begin ≤ end")
        }
        var bytes = dtype.byteSize
        for dim in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail("shape \(shape) is too large") }
            bytes = product
        }
        guard offsets[1] - offsets[0] == bytes else {
            throw fail("data_offsets \(offsets) span \(offsets[1] - offsets[0]) bytes but shape \(shape) of \(dtypeName) needs \(bytes)")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// Checks that the tensors, in data order, cover the data section exactly once.
    private func checkTiling(dataSize: Int) throws {
        var end = 0
        for name in tensorNames {
            let range = tensors[name]!.dataOffsets
            guard range.upperBound <= dataSize else {
                throw SafeTensorsError(path: path, tensor: name, reason: "data_offsets [\(range.lowerBound), \(range.upperBound)] run past the end of the data section (\(dataSize) bytes): the file is truncated or corrupt")
            }
            guard range.lowerBound == end else {
                let problem = range.lowerBound < end ? "overlaps the tensor before it" : "leaves a gap after the tensor before it"
                throw SafeTensorsError(path: path, tensor: name, reason: "data begins at \(range.lowerBound), expected \(end): it \(problem)")
            }
            end = range.upperBound
        }
        guard end == dataSize else {
            throw SafeTensorsError(path: path, reason: "the tensors cover \(end) bytes of data but the data section holds \(dataSize): trailing bytes")
        }
    }

    // MARK: - Access

    /// Looks up a tensor, throwing a message that names it when absent.
    public func tensor(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else {
            throw SafeTensorsError(path: path, tensor: name, reason: "missing from the file")
        }
        return info
    }

    /// The raw little-endian bytes of a tensor.
    public func bytes(of tensor: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + tensor.dataOffsets.lowerBound)..<(dataStart + tensor.dataOffsets.upperBound)])
    }

    /// A floating-point tensor widened to Float, row-major; checks the shape when one is given.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        let info = try tensor(name)
        if let expected, expected != info.shape {
            throw SafeTensorsError(path: path, tensor: name, reason: "shape \(info.shape), expected \(expected)")
        }
        guard info.dtype.isFloatingPoint else {
            throw SafeTensorsError(path: path, tensor: name, reason: "dtype \(info.dtype.rawValue) is not a floating-point type")
        }
        var values = [Float](repeating: 0, count: info.elementCount)
        if let source = bytes(of: info).baseAddress {
            values.withUnsafeMutableBufferPointer { info.dtype.decode(source, count: info.elementCount, into: $0.baseAddress!) }
        }
        return values
    }

    /// A 2-D floating-point tensor `[rows, cols]` as a matrix; checks the shape when one is given.
    public func matrix(_ name: String, shape expected: [Int]? = nil) throws -> Matrix {
        let info = try tensor(name)
        guard info.shape.count == 2 else {
            throw SafeTensorsError(path: path, tensor: name, reason: "shape \(info.shape) is not 2-D")
        }
        return Matrix(rows: info.shape[0], cols: info.shape[1], values: try floats(name, shape: expected))
    }
}
