import Tensors

/// Causal grouped-query attention over stacked sequences, forward and backward.
///
/// Shapes: q `[R, H·D]`, k, v `[R, Hkv·D]` (RoPE already applied), out `[R, H·D]`; query head h reads key/value
/// head h / (H / Hkv). The backward recomputes each head's probabilities P `[T, T]` from q and k instead of keeping them.
struct CausalAttention {
    let layout: RowLayout
    let heads: Int
    let kvHeads: Int
    /// D.
    let headWidth: Int

    var queryWidth: Int { heads * headWidth }
    var kvWidth: Int { kvHeads * headWidth }

    /// out = softmax(q·kᵀ/√D, causal)·v per sequence and head.
    func forward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let probabilities = TapeBuffer(count: layout.longest * layout.longest)
        for (n, t) in layout.lengths.enumerated() {
            let row = layout.offsets[n]
            for head in 0..<heads {
                let (qh, kh, vh) = (q + row * queryWidth + head * headWidth, k + row * kvWidth + kvHead(head) * headWidth,
                                    v + row * kvWidth + kvHead(head) * headWidth)
                softmaxScores(qh, kh, rows: t, into: probabilities.pointer)
                // out_h [T, D] = P [T, T] · V_h [T, D]
                BLAS.gemm(transA: false, transB: false, m: t, n: headWidth, k: t, a: probabilities.pointer, lda: t,
                          b: vh, ldb: kvWidth, c: out + row * queryWidth + head * headWidth, ldc: queryWidth)
            }
        }
    }

    /// dq = dS·k/√D, dk += dSᵀ·q/√D, dv += Pᵀ·dout, with dP = dout·vᵀ and dS = P ⊙ (dP − rowsum(P ⊙ dP)).
    /// dq is overwritten; dk and dv accumulate (several query heads share a key/value head).
    func backward(_ dout: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>) {
        let p = TapeBuffer(count: layout.longest * layout.longest), dp = TapeBuffer(count: p.count)
        let scale = 1 / Float(headWidth).squareRoot()
        for (n, t) in layout.lengths.enumerated() {
            let row = layout.offsets[n]
            for head in 0..<heads {
                let qOffset = row * queryWidth + head * headWidth, kvOffset = row * kvWidth + kvHead(head) * headWidth
                softmaxScores(q + qOffset, k + kvOffset, rows: t, into: p.pointer)
                // dP [T, T] = dout_h [T, D] · V_h [T, D]ᵀ
                BLAS.gemm(transA: false, transB: true, m: t, n: t, k: headWidth, a: dout + qOffset, lda: queryWidth,
                          b: v + kvOffset, ldb: kvWidth, c: dp.pointer, ldc: t)
                // dV_h [T, D] += Pᵀ · dout_h
                BLAS.gemm(transA: true, transB: false, m: t, n: headWidth, k: t, a: p.pointer, lda: t,
                          b: dout + qOffset, ldb: queryWidth, beta: 1, c: dv + kvOffset, ldc: kvWidth)
                for i in 0..<t {
                    let pi = p.pointer + i * t, di = dp.pointer + i * t
                    var dot: Float = 0
                    for j in 0...i { dot += pi[j] * di[j] }
                    for j in 0..<t { di[j] = j <= i ? pi[j] * (di[j] - dot) : 0 }
                }
                // dQ_h [T, D] = dS · K_h · scale;  dK_h [T, D] += dSᵀ · Q_h · scale
                BLAS.gemm(transA: false, transB: false, m: t, n: headWidth, k: t, alpha: scale, a: dp.pointer, lda: t,
                          b: k + kvOffset, ldb: kvWidth, c: dq + qOffset, ldc: queryWidth)
                BLAS.gemm(transA: true, transB: false, m: t, n: headWidth, k: t, alpha: scale, a: dp.pointer, lda: t,
                          b: q + qOffset, ldb: queryWidth, beta: 1, c: dk + kvOffset, ldc: kvWidth)
            }
        }
    }

    /// The key/value head a query head reads.
    private func kvHead(_ head: Int) -> Int { head / (heads / kvHeads) }

    /// P `[T, T]` = causal softmax(Q_h·K_hᵀ/√D): row i over columns 0...i, zeros after.
    private func softmaxScores(_ qh: UnsafePointer<Float>, _ kh: UnsafePointer<Float>, rows t: Int, into p: UnsafeMutablePointer<Float>) {
        BLAS.gemm(transA: false, transB: true, m: t, n: t, k: headWidth, alpha: 1 / Float(headWidth).squareRoot(),
                  a: qh, lda: queryWidth, b: kh, ldb: kvWidth, c: p, ldc: t)
        for i in 0..<t {
            let r = p + i * t
            VectorMath.softmax(r, count: i + 1)
            for j in (i + 1)..<t { r[j] = 0 }
        }
    }
}
