import CKernels
import Tensors

/// A weight matrix `[rows, cols]` (out, in) of a GGUF file's quantized blocks, repacked for the products
/// (groups of 16 rows, `ck_pack_rows`); the file's own blocks stay mapped for decoding single rows.
final class QuantizedMatrix: @unchecked Sendable {
    /// Formats the quantized kernels take.
    static let supported: Set<BlockFormat> = [.q4_0, .q4_1, .q8_0]

    let format: BlockFormat
    let rows: Int
    let cols: Int
    /// The first block of row 0 in the file; rows follow one another (the file stays mapped while the model lives).
    let base: UnsafeRawPointer
    /// The blocks in the packed layout the products read (`ck_packed_bytes` bytes, 64-byte aligned).
    let packed: UnsafeMutableRawPointer

    /// The tensor `name` of `gguf`, checked to be `[rows, cols]` in a supported format.
    init(_ gguf: GGUFFile, _ name: String, rows: Int, cols: Int) throws {
        let info = try gguf.tensor(name)
        guard info.dims == [cols, rows] else {
            throw FileError(path: gguf.path, reason: "tensor \(name) is \(info.dims) (in, out), expected [\(cols), \(rows)]")
        }
        guard Self.supported.contains(info.format) else {
            throw FileError(path: gguf.path, reason: "tensor \(name) is \(info.format.name); the quantized engine reads Q4_0, Q4_1 and Q8_0")
        }
        format = info.format
        self.rows = rows
        self.cols = cols
        base = gguf.data(of: info)
        let format = Int32(info.format.rawValue)
        packed = .allocate(byteCount: ck_packed_bytes(format, Int32(rows), Int32(cols)), alignment: 64)
        ck_pack_rows(format, base, Int32(rows), Int32(cols), packed)
    }

    deinit {
        packed.deallocate()
    }

    /// Bytes of one row.
    var rowBytes: Int { format.byteCount(elements: cols) }

    /// Decodes row `r` into `out` `[cols]`.
    func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        format.dequantize(base + r * rowBytes, count: cols, into: out)
    }

    /// A product job writing y `[m, ldy]` columns [0, rows), without LoRA.
    func job(into y: UnsafeMutablePointer<Float>, ldy: Int) -> ck_matmul {
        ck_matmul(format: Int32(format.rawValue), weights: packed, rows: Int32(rows), y: y, ldy: Int32(ldy),
                  lora_b: nil, lora_xa: nil, lora_scale: nil, rank: 0)
    }
}

/// Activation rows `[m, cols]` quantised to 8-bit blocks, ready for `QuantizedMatrix` products.
struct QuantizedRows {
    let blocks: UnsafeMutablePointer<ck_q8_block>
    let capacity: Int

    /// Room for `capacity` blocks (rows · cols / 32).
    init(capacity: Int) {
        blocks = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    func deallocate() {
        blocks.deallocate()
    }

    /// Quantises x `[m, cols]` into `terms` block rows per row (2: a second pass on the rounding error).
    func quantize(_ x: UnsafePointer<Float>, rows m: Int, cols: Int, terms: Int) {
        precondition(m * terms * cols / 32 <= capacity && cols % 32 == 0)
        if terms == 2 {
            ck_quantize_rows_refined(x, Int32(m), Int32(cols), blocks)
        } else {
            ck_quantize_rows(x, Int32(m), Int32(cols), blocks)
        }
    }
}
