import Tensors

/// A bounds-checked little-endian cursor over a GGUF file's bytes.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Reads one fixed-width value, throwing if the file ends first.
    mutating func read<T: FixedWidthInteger>(_ type: T.Type, what: String) throws -> T {
        try need(MemoryLayout<T>.size, what: what)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// Reads a u64 count that must fit the file (a huge count means corruption).
    mutating func readCount(what: String) throws -> Int {
        let raw = try read(UInt64.self, what: what)
        guard raw <= UInt64(Int32.max) else {
            throw FileError(path: path, reason: "\(what) is \(raw), which cannot be right: the file is corrupt")
        }
        return Int(raw)
    }

    /// Reads a length-prefixed UTF-8 string.
    mutating func readString(what: String) throws -> String {
        let length = try readCount(what: "length of \(what)")
        try need(length, what: what)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        offset += length
        return text
    }

    /// Reads a typed metadata value (type id u32, then the value).
    mutating func readValue(what: String) throws -> GGUFValue {
        let type = try read(UInt32.self, what: "type of \(what)")
        return try readValue(type: type, what: what)
    }

    private mutating func readValue(type: UInt32, what: String) throws -> GGUFValue {
        switch type {
        case 0: return .uint(UInt64(try read(UInt8.self, what: what)))
        case 1: return .int(Int64(try read(Int8.self, what: what)))
        case 2: return .uint(UInt64(try read(UInt16.self, what: what)))
        case 3: return .int(Int64(try read(Int16.self, what: what)))
        case 4: return .uint(UInt64(try read(UInt32.self, what: what)))
        case 5: return .int(Int64(try read(Int32.self, what: what)))
        case 6: return .float(Double(Float(bitPattern: try read(UInt32.self, what: what))))
        case 7: return .bool(try read(UInt8.self, what: what) != 0)
        case 8: return .string(try readString(what: what))
        case 9:
            let elementType = try read(UInt32.self, what: "element type of \(what)")
            let count = try readCount(what: "length of \(what)")
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readValue(type: elementType, what: what)) }
            return .array(values)
        case 10: return .uint(try read(UInt64.self, what: what))
        case 11: return .int(try read(Int64.self, what: what))
        case 12: return .float(Double(bitPattern: try read(UInt64.self, what: what)))
        default:
            throw FileError(path: path, reason: "\(what) has unknown value type \(type) at byte \(offset - 4)")
        }
    }

    private func need(_ count: Int, what: String) throws {
        guard count >= 0, offset + count <= bytes.count else {
            throw FileError(path: path, reason: "truncated file: \(what) at byte \(offset) needs \(count) bytes, the file has \(bytes.count)")
        }
    }
}
