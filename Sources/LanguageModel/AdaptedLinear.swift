import Tensors

/// One adapted projection's LoRA factors inside a training pass: where A and B live in the flat buffers, and the dropout.
struct LoRAFactors {
    let slot: LoRAAdapter.Slot
    /// Index of the slot in the adapter (its dropout stream).
    let index: Int
    /// r.
    let rank: Int
    /// alpha / r.
    let scale: Float
    /// The adapter's flat parameter buffer.
    let parameters: UnsafePointer<Float>
    /// The flat gradient buffer parallel to `parameters`, when the pass has a backward.
    let gradients: UnsafeMutablePointer<Float>?
    let dropout: DropoutMask?

    /// A `[r, in]`.
    var a: UnsafePointer<Float> { parameters + slot.aOffset }
    /// B `[out, r]`.
    var b: UnsafePointer<Float> { parameters + slot.bOffset }

    /// The LoRA input drop(x) `[R, in]`: x itself without dropout, else a masked copy held by `scratch`.
    func droppedInput(_ x: UnsafePointer<Float>, rows: Int, scratch: inout TapeBuffer?) -> UnsafePointer<Float> {
        guard let dropout else { return x }
        let buffer = TapeBuffer(count: rows * slot.inWidth)
        dropout.apply(x, into: buffer.pointer, count: buffer.count, stream: UInt64(index))
        scratch = buffer
        return UnsafePointer(buffer.pointer)
    }
}

/// A linear layer y = x·Wᵀ + s · (drop(x)·Aᵀ)·Bᵀ over stacked rows, forward and backward; the LoRA term only when adapted.
///
/// Shapes: x `[R, in]`, W `[out, in]`, A `[r, in]`, B `[out, r]`, y `[R, out]`, u = drop(x)·Aᵀ `[R, r]`.
enum AdaptedLinear {
    /// y = x·Wᵀ (+ s·u·Bᵀ); returns u, which the backward needs (nil when not adapted).
    static func forward(_ x: UnsafePointer<Float>, rows: Int, weight: Matrix, lora: LoRAFactors?,
                        out y: UnsafeMutablePointer<Float>) -> TapeBuffer? {
        let (outWidth, inWidth) = (weight.rows, weight.cols)
        weight.withPointer { w in
            BLAS.gemm(transA: false, transB: true, m: rows, n: outWidth, k: inWidth, a: x, lda: inWidth, b: w, ldb: inWidth,
                      c: y, ldc: outWidth)
        }
        guard let lora else { return nil }
        let r = lora.rank
        var scratch: TapeBuffer?
        let xd = lora.droppedInput(x, rows: rows, scratch: &scratch)
        let u = TapeBuffer(count: rows * r)
        BLAS.gemm(transA: false, transB: true, m: rows, n: r, k: inWidth, a: xd, lda: inWidth, b: lora.a, ldb: inWidth,
                  c: u.pointer, ldc: r)
        BLAS.gemm(transA: false, transB: true, m: rows, n: outWidth, k: r, alpha: lora.scale, a: u.pointer, lda: r,
                  b: lora.b, ldb: r, beta: 1, c: y, ldc: outWidth)
        return u
    }

    /// From dy: dB += s·dyᵀ·u, dA += (s·dy·B)ᵀ·drop(x), and, when `dx` is given, dx += dy·W + drop(s·dy·B·A).
    static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, u: TapeBuffer?, rows: Int,
                         weight: Matrix, lora: LoRAFactors?, dx: UnsafeMutablePointer<Float>?) {
        let (outWidth, inWidth) = (weight.rows, weight.cols)
        if let dx {
            weight.withPointer { w in
                BLAS.gemm(transA: false, transB: false, m: rows, n: inWidth, k: outWidth, a: dy, lda: outWidth, b: w, ldb: inWidth,
                          beta: 1, c: dx, ldc: inWidth)
            }
        }
        guard let lora, let u, let gradients = lora.gradients else { return }
        let r = lora.rank
        BLAS.gemm(transA: true, transB: false, m: outWidth, n: r, k: rows, alpha: lora.scale, a: dy, lda: outWidth,
                  b: u.pointer, ldb: r, beta: 1, c: gradients + lora.slot.bOffset, ldc: r)
        let du = TapeBuffer(count: rows * r)                                    // [R, r]
        BLAS.gemm(transA: false, transB: false, m: rows, n: r, k: outWidth, alpha: lora.scale, a: dy, lda: outWidth,
                  b: lora.b, ldb: r, c: du.pointer, ldc: r)
        var scratch: TapeBuffer?
        let xd = lora.droppedInput(x, rows: rows, scratch: &scratch)
        BLAS.gemm(transA: true, transB: false, m: r, n: inWidth, k: rows, a: du.pointer, lda: r, b: xd, ldb: inWidth,
                  beta: 1, c: gradients + lora.slot.aOffset, ldc: inWidth)
        guard let dx else { return }
        if let dropout = lora.dropout {
            let dxd = TapeBuffer(count: rows * inWidth)                         // d drop(x)
            BLAS.gemm(transA: false, transB: false, m: rows, n: inWidth, k: r, a: du.pointer, lda: r, b: lora.a, ldb: inWidth,
                      c: dxd.pointer, ldc: inWidth)
            dropout.apply(dxd.pointer, into: dxd.pointer, count: dxd.count, stream: UInt64(lora.index))
            for i in 0..<dxd.count { dx[i] += dxd.pointer[i] }
        } else {
            BLAS.gemm(transA: false, transB: false, m: rows, n: inWidth, k: r, a: du.pointer, lda: r, b: lora.a, ldb: inWidth,
                      beta: 1, c: dx, ldc: inWidth)
        }
    }
}
