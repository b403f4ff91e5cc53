import Foundation

/// The SwiGLU gate a = silu(g) ⊙ u, forward and backward. Shapes: g, u, a `[R, F]` flattened to `[n]`.
enum SwiGLULayer {
    static func forward(gate g: UnsafePointer<Float>, up u: UnsafePointer<Float>, count n: Int, out a: UnsafeMutablePointer<Float>) {
        for i in 0..<n { a[i] = g[i] / (1 + expf(-g[i])) * u[i] }
    }

    /// dg = da ⊙ u ⊙ σ(g)(1 + g(1 − σ(g))), du = da ⊙ silu(g) (both overwritten).
    static func backward(_ da: UnsafePointer<Float>, gate g: UnsafePointer<Float>, up u: UnsafePointer<Float>, count n: Int,
                         dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>) {
        for i in 0..<n {
            let sigmoid = 1 / (1 + expf(-g[i]))
            dGate[i] = da[i] * u[i] * sigmoid * (1 + g[i] * (1 - sigmoid))
            dUp[i] = da[i] * g[i] * sigmoid
        }
    }
}
