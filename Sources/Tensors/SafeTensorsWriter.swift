import Foundation

/// Writes F32 tensors as a safetensors file, atomically, laid out as the reference library lays them out:
/// compact JSON header (`__metadata__` first, then tensors by name), padded with spaces to a multiple of 8,
/// then each tensor's little-endian bytes in name order.
public enum SafeTensorsWriter {
    /// One tensor to write: a row-major shape and its values.
    public struct Tensor: Sendable, Equatable {
        public let shape: [Int]
        public let values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }

        /// A matrix as a 2-D tensor `[rows, cols]`.
        public init(_ matrix: Matrix) {
            self.init(shape: [matrix.rows, matrix.cols], values: matrix.values)
        }
    }

    /// Writes `tensors` and `metadata` to `path` (whole or not at all).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        for (name, tensor) in tensors where tensor.shape.reduce(1, *) != tensor.values.count || tensor.shape.contains(where: { $0 < 0 }) {
            throw SafeTensorsError(path: path, tensor: name, reason: "shape \(tensor.shape) does not hold \(tensor.values.count) values")
        }
        guard tensors["__metadata__"] == nil else {
            throw SafeTensorsError(path: path, tensor: "__metadata__", reason: "the name is reserved for the metadata map")
        }
        let names = tensors.keys.sorted()
        var header = Array(headerJSON(names: names, tensors: tensors, metadata: metadata).utf8)
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))

        try AtomicFile.write(to: path) { sink in
            try sink.append(contentsOf: [UInt64(header.count).littleEndian])
            try sink.append(contentsOf: header)
            for name in names {
                try sink.append(contentsOf: tensors[name]!.values.map { $0.bitPattern.littleEndian })
            }
        }
    }

    /// The header's JSON text, keys in the order they are written.
    private static func headerJSON(names: [String], tensors: [String: Tensor], metadata: [String: String]) -> String {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.values.count * SafeTensorsDType.f32.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        return "{\(fields.joined(separator: ","))}"
    }

    /// A JSON string literal.
    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try! encoder.encode(text), as: UTF8.self)
    }
}
