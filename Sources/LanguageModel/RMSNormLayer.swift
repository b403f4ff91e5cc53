/// RMSNorm over stacked rows, forward and backward. Shapes: x, out `[R, C]`, weight `[C]`, rstd `[R]`.
enum RMSNormLayer {
    /// out = x · rstd · w with rstd = 1 / sqrt(mean(x²) + eps); keeps rstd for the backward.
    static func forward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, rows: Int, width: Int, eps: Float,
                        out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width, o = out + r * width
            var sum: Float = 0
            for i in 0..<width { sum += row[i] * row[i] }
            let scale = 1 / (sum / Float(width) + eps).squareRoot()
            for i in 0..<width { o[i] = row[i] * scale * weight[i] }
            rstd[r] = scale
        }
    }

    /// dx += rstd · (g − n · mean(g ⊙ n)) with n = x · rstd and g = dout ⊙ w.
    static func backward(_ dout: UnsafePointer<Float>, x: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                         weight: UnsafePointer<Float>, rows: Int, width: Int, dx: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width, d = dout + r * width, g = dx + r * width
            let scale = rstd[r]
            var dot: Float = 0
            for i in 0..<width { dot += d[i] * weight[i] * row[i] }
            let meanDot = dot * scale * scale / Float(width)
            for i in 0..<width { g[i] += scale * (d[i] * weight[i] - row[i] * meanDot) }
        }
    }
}
