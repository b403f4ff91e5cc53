import Foundation

/// Row-wise kernels of the transformer on raw buffers; naive, clear loops.
public enum VectorMath {
    /// RMSNorm of each row in place: x `[T, n]`, weight `[n]`; x ← x / sqrt(mean(x²) + eps) · weight.
    public static func rmsNorm(_ x: inout [Float], rows: Int, weight: [Float], eps: Float) {
        let n = weight.count
        x.withUnsafeMutableBufferPointer { xp in
            for r in 0..<rows {
                let row = xp.baseAddress! + r * n
                var sum: Float = 0
                for i in 0..<n { sum += row[i] * row[i] }
                let scale = 1 / (sum / Float(n) + eps).squareRoot()
                for i in 0..<n { row[i] = row[i] * scale * weight[i] }
            }
        }
    }

    /// Softmax of `count` values in place (max-subtracted).
    public static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maxValue = -Float.infinity
        for i in 0..<count { maxValue = max(maxValue, x[i]) }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - maxValue)
            x[i] = e
            sum += e
        }
        let inv = 1 / sum
        for i in 0..<count { x[i] *= inv }
    }

    /// log-softmax of a vector (max-subtracted, in Double for the sum).
    public static func logSoftmax(_ x: [Float]) -> [Float] {
        let logSum = x.withUnsafeBufferPointer { logSumExp($0.baseAddress!, count: $0.count) }
        return x.map { $0 - logSum }
    }

    /// log Σ exp(x_j) of `[count]` values (max-subtracted, the sum in Double).
    public static func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var maxValue = -Float.infinity
        for j in 0..<count { maxValue = max(maxValue, x[j]) }
        var sum: Double = 0
        for j in 0..<count { sum += Double(expf(x[j] - maxValue)) }
        return maxValue + Float(log(sum))
    }

    /// SwiGLU gate in place: g ← silu(g) · u, both `[count]`.
    public static func swiglu(_ g: inout [Float], _ u: [Float]) {
        for i in g.indices {
            let v = g[i]
            g[i] = v / (1 + expf(-v)) * u[i]
        }
    }

    /// Index of the largest value (the first one on ties).
    public static func argmax(_ x: ArraySlice<Float>) -> Int {
        var best = x.startIndex
        for i in x.indices where x[i] > x[best] { best = i }
        return best - x.startIndex
    }
}
