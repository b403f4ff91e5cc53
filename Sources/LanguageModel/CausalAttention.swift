import Tensors

/// Causal grouped-query attention over stacked rows in segments, forward and backward.
///
/// Shapes: q `[R, H·D]`, k, v `[R, Hkv·D]` (RoPE already applied), out `[R, H·D]`; query head h reads key/value
/// head h / (H / Hkv). A segment's T query rows see its prefix segment's Tp rows (a shared prompt) and, causally, its
/// own: the score matrix of a segment and head is `[T, Tp + T]`, prefix columns first. The backward recomputes the
/// probabilities from q and k instead of keeping them.
struct CausalAttention {
    let layout: RowLayout
    let heads: Int
    let kvHeads: Int
    /// D.
    let headWidth: Int

    var queryWidth: Int { heads * headWidth }
    var kvWidth: Int { kvHeads * headWidth }
    var scale: Float { 1 / Float(headWidth).squareRoot() }

    /// The key/value parts a segment's queries see: (first row, rows) of its prefix (0 rows without one), then of itself.
    private func parts(_ segment: RowLayout.Segment) -> [(row: Int, count: Int)] {
        let prefix = segment.prefix.map { layout.segments[$0] }
        return [(prefix?.offset ?? 0, prefix?.length ?? 0), (segment.offset, segment.length)]
    }

    /// out = softmax(q·kᵀ/√D, causal)·v per segment and head.
    func forward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let probabilities = TapeBuffer(count: layout.longestVisible * layout.longestVisible)
        for segment in layout.segments where segment.length > 0 {
            let (t, parts) = (segment.length, parts(segment))
            let width = parts[0].count + t
            for head in 0..<heads {
                let qh = q + segment.offset * queryWidth + head * headWidth, kv = kvHead(head) * headWidth
                softmaxScores(qh, k + kv, parts, rows: t, into: probabilities.pointer)
                // out_h [T, D] = Σ over parts P[:, part] [T, Tpart] · V_h[part] [Tpart, D]
                var column = 0
                for (i, part) in parts.enumerated() where part.count > 0 {
                    BLAS.gemm(transA: false, transB: false, m: t, n: headWidth, k: part.count, a: probabilities.pointer + column,
                              lda: width, b: v + part.row * kvWidth + kv, ldb: kvWidth, beta: i > 0 && column > 0 ? 1 : 0,
                              c: out + segment.offset * queryWidth + head * headWidth, ldc: queryWidth)
                    column += part.count
                }
            }
        }
    }

    /// dq = dS·k/√D, dk += dSᵀ·q/√D, dv += Pᵀ·dout, with dP = dout·vᵀ and dS = P ⊙ (dP − rowsum(P ⊙ dP)).
    /// dq is overwritten; dk and dv accumulate (several query heads, and the samples sharing a prompt, read the same rows).
    func backward(_ dout: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>) {
        let p = TapeBuffer(count: layout.longestVisible * layout.longestVisible), dp = TapeBuffer(count: p.count)
        for segment in layout.segments where segment.length > 0 {
            let (t, parts) = (segment.length, parts(segment))
            let (prefix, width) = (parts[0].count, parts[0].count + t)
            for head in 0..<heads {
                let qOffset = segment.offset * queryWidth + head * headWidth, kv = kvHead(head) * headWidth
                softmaxScores(q + qOffset, k + kv, parts, rows: t, into: p.pointer)
                var column = 0
                for part in parts where part.count > 0 {
                    // dP[:, part] [T, Tpart] = dout_h [T, D] · V_h[part]ᵀ;  dV_h[part] += P[:, part]ᵀ · dout_h
                    BLAS.gemm(transA: false, transB: true, m: t, n: part.count, k: headWidth, a: dout + qOffset, lda: queryWidth,
                              b: v + part.row * kvWidth + kv, ldb: kvWidth, c: dp.pointer + column, ldc: width)
                    BLAS.gemm(transA: true, transB: false, m: part.count, n: headWidth, k: t, a: p.pointer + column, lda: width,
                              b: dout + qOffset, ldb: queryWidth, beta: 1, c: dv + part.row * kvWidth + kv, ldc: kvWidth)
                    column += part.count
                }
                for i in 0..<t {
                    let pi = p.pointer + i * width, di = dp.pointer + i * width, visible = prefix + i + 1
                    var dot: Float = 0
                    for j in 0..<visible { dot += pi[j] * di[j] }
                    for j in 0..<width { di[j] = j < visible ? pi[j] * (di[j] - dot) : 0 }
                }
                column = 0
                for (i, part) in parts.enumerated() where part.count > 0 {
                    // dQ_h += dS[:, part] · K_h[part] · scale;  dK_h[part] += dS[:, part]ᵀ · Q_h · scale
                    BLAS.gemm(transA: false, transB: false, m: t, n: headWidth, k: part.count, alpha: scale, a: dp.pointer + column,
                              lda: width, b: k + part.row * kvWidth + kv, ldb: kvWidth, beta: i > 0 && column > 0 ? 1 : 0,
                              c: dq + qOffset, ldc: queryWidth)
                    BLAS.gemm(transA: true, transB: false, m: part.count, n: headWidth, k: t, alpha: scale, a: dp.pointer + column,
                              lda: width, b: q + qOffset, ldb: queryWidth, beta: 1, c: dk + part.row * kvWidth + kv, ldc: kvWidth)
                    column += part.count
                }
            }
        }
    }

    /// The key/value head a query head reads.
    private func kvHead(_ head: Int) -> Int { head / (heads / kvHeads) }

    /// P `[T, Tp + T]` = causal softmax(Q_h·K_hᵀ/√D) over the parts' keys: row i over the prefix and own columns 0...i,
    /// zeros after. `kh` points at head h's column of row 0.
    private func softmaxScores(_ qh: UnsafePointer<Float>, _ kh: UnsafePointer<Float>, _ parts: [(row: Int, count: Int)],
                               rows t: Int, into p: UnsafeMutablePointer<Float>) {
        let width = parts[0].count + t
        var column = 0
        for part in parts where part.count > 0 {
            BLAS.gemm(transA: false, transB: true, m: t, n: part.count, k: headWidth, alpha: scale, a: qh, lda: queryWidth,
                      b: kh + part.row * kvWidth, ldb: kvWidth, c: p + column, ldc: width)
            column += part.count
        }
        for i in 0..<t {
            let r = p + i * width, visible = parts[0].count + i + 1
            VectorMath.softmax(r, count: visible)
            for j in visible..<width { r[j] = 0 }
        }
    }
}
