import Tensors
import Testing

/// Hand-built blocks with known weights, decoded by each format.
@Suite struct BlockFormatTests {
    func half(_ x: Float) -> [UInt8] {
        withUnsafeBytes(of: Float16(x).bitPattern.littleEndian) { Array($0) }
    }

    func decode(_ format: BlockFormat, _ bytes: [UInt8], count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBufferPointer { format.dequantize(src.baseAddress!, count: count, into: $0.baseAddress!) }
        }
        return out
    }

    /// Nibbles 0…15 in the low halves and 15…0 in the high halves.
    var nibbles: [UInt8] { (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 } }

    @Test func q4_0() {
        let w = decode(.q4_0, half(0.5) + nibbles, count: 32)
        #expect(w[0] == 0.5 * -8 && w[15] == 0.5 * 7)
        #expect(w[16] == 0.5 * 7 && w[31] == 0.5 * -8)
    }

    @Test func q4_1() {
        let w = decode(.q4_1, half(0.25) + half(-1) + nibbles, count: 32)
        #expect(w[0] == -1 && w[3] == 0.25 * 3 - 1)
        #expect(w[16] == 0.25 * 15 - 1 && w[31] == -1)
    }

    @Test func q8_0() {
        let qs: [Int8] = (0..<32).map { Int8($0 - 16) }
        let w = decode(.q8_0, half(2) + qs.map { UInt8(bitPattern: $0) }, count: 32)
        #expect(w == qs.map { 2 * Float($0) })
    }

    @Test func f16AndF32() {
        #expect(decode(.f16, half(1.5) + half(-2), count: 2) == [1.5, -2])
        let f: [Float] = [3.25, -0.125]
        #expect(decode(.f32, f.withUnsafeBytes { Array($0) }, count: 2) == f)
    }

    @Test func sizes() {
        #expect(BlockFormat.q4_1.byteCount(elements: 64) == 40)
        #expect(BlockFormat.q8_0.byteCount(elements: 32) == 34)
    }
}
