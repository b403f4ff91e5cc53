import Foundation

/// Row-wise kernels of a BERT-style encoder: LayerNorm with bias, exact GELU, bias broadcast.
extension VectorMath {
    /// LayerNorm of each row in place: x `[rows, n]`, weight and bias `[n]`;
    /// x ← (x − mean) / sqrt(var + eps) · weight + bias, with the biased variance as PyTorch uses.
    public static func layerNorm(_ x: inout [Float], rows: Int, weight: [Float], bias: [Float], eps: Float) {
        let n = weight.count
        precondition(bias.count == n && x.count >= rows * n, "layerNorm: [\(rows), \(n)] rows do not fit \(x.count) values")
        x.withUnsafeMutableBufferPointer { xp in
            weight.withUnsafeBufferPointer { w in
                bias.withUnsafeBufferPointer { b in
                    for r in 0..<rows {
                        let row = xp.baseAddress! + r * n
                        var sum: Float = 0
                        for i in 0..<n { sum += row[i] }
                        let mean = sum / Float(n)
                        var squares: Float = 0
                        for i in 0..<n {
                            let d = row[i] - mean
                            squares += d * d
                        }
                        let scale = 1 / (squares / Float(n) + eps).squareRoot()
                        for i in 0..<n { row[i] = (row[i] - mean) * scale * w[i] + b[i] }
                    }
                }
            }
        }
    }

    /// GELU in its exact form in place: x ← x · ½ · (1 + erf(x / √2)), erf as in `erf(_:)`.
    public static func gelu(_ x: inout [Float], count: Int) {
        precondition(count <= x.count, "gelu: \(count) values asked of \(x.count)")
        let invSqrt2: Float = 0.70710678118654752
        x.withUnsafeMutableBufferPointer { xp in
            for i in 0..<count {
                let v = xp[i]
                xp[i] = 0.5 * v * (1 + erf(v * invSqrt2))
            }
        }
    }

    /// The error function as a rational fit z·P(z²)/Q(z²) on [−4, 4] (|error| < 4e-7 in Float; erf(4) = 1 − 1.5e-8),
    /// held at ±1 beyond. Unlike libm's `erff` it is branch-free, so loops over it vectorise.
    @inline(__always)
    public static func erf(_ z: Float) -> Float {
        let c = min(max(z, -4), 4)
        let t = c * c
        var p: Float = 1.974925908143632e-06
        p = p * t + 0.00028803947498090565
        p = p * t + 0.004003393929451704
        p = p * t + 0.05346670746803284
        p = p * t + 0.19624260067939758
        p = p * t + 1.128378987312317
        var q: Float = 3.748175731743686e-05
        q = q * t + 0.001216305885463953
        q = q * t + 0.015443912707269192
        q = q * t + 0.11647386103868484
        q = q * t + 0.5072466135025024
        q = q * t + 1
        return min(max(c * p / q, -1), 1)
    }

    /// Fills each of `rows` rows of y `[rows, n]` with bias `[n]`.
    public static func broadcastRows(_ bias: [Float], rows: Int, into y: inout [Float]) {
        let n = bias.count
        precondition(y.count >= rows * n, "broadcastRows: [\(rows), \(n)] rows do not fit \(y.count) values")
        y.withUnsafeMutableBufferPointer { yp in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows { (yp.baseAddress! + r * n).update(from: b.baseAddress!, count: n) }
            }
        }
    }

    /// Adds bias `[n]` to each of `rows` rows of y `[rows, n]`.
    public static func addRows(_ bias: [Float], rows: Int, to y: inout [Float]) {
        let n = bias.count
        precondition(y.count >= rows * n, "addRows: [\(rows), \(n)] rows do not fit \(y.count) values")
        y.withUnsafeMutableBufferPointer { yp in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = yp.baseAddress! + r * n
                    for i in 0..<n { row[i] += b[i] }
                }
            }
        }
    }
}
