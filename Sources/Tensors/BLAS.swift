import CBLAS

/// Matrix products through OpenBLAS; a one-row product uses sgemv.
public enum BLAS {
    /// Sets how many threads OpenBLAS may use for the calls that follow.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `y = x · wᵀ`: x `[T, in]`, w `[out, in]` (a linear layer's weight) → y `[T, out]`.
    public static func linear(_ x: Matrix, _ w: Matrix) -> Matrix {
        precondition(x.cols == w.cols, "linear: input width \(x.cols) does not match weight [\(w.rows), \(w.cols)]")
        var y = Matrix(rows: x.rows, cols: w.rows)
        linear(x.values, rows: x.rows, w, into: &y.values, accumulate: false)
        return y
    }

    /// `y (+)= x · wᵀ` on raw buffers: x `[T, in]`, w `[out, in]`, y `[T, out]`.
    public static func linear(_ x: [Float], rows: Int, _ w: Matrix, into y: inout [Float], accumulate: Bool) {
        let beta: Float = accumulate ? 1 : 0
        x.withUnsafeBufferPointer { xp in
            w.values.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    if rows == 1 {
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(w.rows), Int32(w.cols), 1,
                                    wp.baseAddress, Int32(w.cols), xp.baseAddress, 1, beta, yp.baseAddress, 1)
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(w.rows), Int32(w.cols), 1,
                                    xp.baseAddress, Int32(w.cols), wp.baseAddress, Int32(w.cols), beta, yp.baseAddress, Int32(w.rows))
                    }
                }
            }
        }
    }

    /// General `c = alpha · op(a) · op(b) + beta · c` on strided row-major views.
    ///
    /// `a` is `[m, k]` (or `[k, m]` when `transA`), `b` is `[k, n]` (or `[n, k]` when `transB`), `c` is `[m, n]`;
    /// `lda`, `ldb`, `ldc` are the row strides of the underlying buffers.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
