/// The element encodings a GGUF tensor can carry that this engine reads.
///
/// Quantized formats pack 32 weights per block with f16 scales, as ggml lays them out:
/// - Q4_0: `d: f16, qs: [16]u8` — w = d · (nibble − 8)
/// - Q4_1: `d: f16, m: f16, qs: [16]u8` — w = d · nibble + m
/// - Q8_0: `d: f16, qs: [32]i8` — w = d · q
/// Nibble `j` of a block is the low half of `qs[j]` for j < 16 and the high half of `qs[j − 16]` otherwise.
public enum BlockFormat: UInt32, Sendable, CaseIterable {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q8_0 = 8

    /// Weights per block.
    public var blockSize: Int {
        switch self {
        case .f32, .f16: 1
        case .q4_0, .q4_1, .q8_0: 32
        }
    }

    /// Bytes per block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        }
    }

    /// The name ggml gives the format.
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q8_0: "Q8_0"
        }
    }

    /// Bytes taken by `count` weights; `count` must be a whole number of blocks.
    public func byteCount(elements count: Int) -> Int {
        count / blockSize * bytesPerBlock
    }

    /// Decodes `count` weights starting at `source` into `destination`.
    public func dequantize(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(count % blockSize == 0, "\(name): \(count) weights is not a whole number of \(blockSize)-weight blocks")
        switch self {
        case .f32:
            destination.update(from: source.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            for i in 0..<count { destination[i] = halfAt(source, i * 2) }
        case .q4_0:
            forEachBlock(source, count: count, into: destination) { block, out in
                let d = halfAt(block, 0)
                let qs = block + 2
                for j in 0..<16 {
                    let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                    out[j] = d * Float(Int(byte & 0x0F) - 8)
                    out[j + 16] = d * Float(Int(byte >> 4) - 8)
                }
            }
        case .q4_1:
            forEachBlock(source, count: count, into: destination) { block, out in
                let d = halfAt(block, 0)
                let m = halfAt(block, 2)
                let qs = block + 4
                for j in 0..<16 {
                    let byte = qs.load(fromByteOffset: j, as: UInt8.self)
                    out[j] = d * Float(byte & 0x0F) + m
                    out[j + 16] = d * Float(byte >> 4) + m
                }
            }
        case .q8_0:
            forEachBlock(source, count: count, into: destination) { block, out in
                let d = halfAt(block, 0)
                for j in 0..<32 {
                    out[j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self))
                }
            }
        }
    }

    /// Runs `decode` on each block with the 32-float output slot it fills.
    private func forEachBlock(
        _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>,
        _ decode: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void
    ) {
        for b in 0..<(count / 32) {
            decode(source + b * bytesPerBlock, destination + b * 32)
        }
    }
}

/// The IEEE half at `offset` bytes from `base`, widened to Float.
@inline(__always)
func halfAt(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
    Float(Float16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}
