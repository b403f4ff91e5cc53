import Foundation
import Tensors

/// Fits a `LinearHead` by full-batch Adam on the mean cross-entropy plus an L2 penalty on the weights.
///
/// Deterministic: the head starts at zero and every step sees the whole batch, so the same data give the same head.
public struct HeadTrainer: Sendable {
    /// L2 penalty λ on W (not on b): loss = mean CE + λ/2 ‖W‖².
    public var l2: Float = 1e-4
    /// Full-batch steps.
    public var steps = 800
    /// Adam's step size, decayed by a cosine to zero over the steps.
    public var learningRate: Float = 0.05

    public init(l2: Float = 1e-4, steps: Int = 800, learningRate: Float = 0.05) {
        self.l2 = l2
        self.steps = steps
        self.learningRate = learningRate
    }

    /// A head for features x `[N, F]` and labels in `0..<classes` `[N]`.
    public func fit(_ x: Matrix, labels: [Int], classes: Int) -> LinearHead {
        precondition(x.rows == labels.count && x.rows > 0, "\(x.rows) feature rows for \(labels.count) labels")
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "a label outside 0..<\(classes)")
        let n = x.rows, f = x.cols, k = classes
        var head = LinearHead(classes: k, features: f)
        var momentW = [Float](repeating: 0, count: k * f), velocityW = momentW
        var momentB = [Float](repeating: 0, count: k), velocityB = momentB
        var gradW = [Float](repeating: 0, count: k * f)
        let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
        for step in 1...steps {
            // G [N, K] = (softmax(x·Wᵀ + b) − onehot(y)) / N
            var g = head.probabilities(x)
            for (row, label) in labels.enumerated() { g[row, label] -= 1 }
            for i in g.values.indices { g.values[i] /= Float(n) }
            // dW [K, F] = Gᵀ · x + λW;  db [K] = Σ_rows G
            g.values.withUnsafeBufferPointer { gp in
                x.values.withUnsafeBufferPointer { xp in
                    gradW.withUnsafeMutableBufferPointer { wp in
                        BLAS.gemm(transA: true, transB: false, m: k, n: f, k: n, a: gp.baseAddress!, lda: k,
                                  b: xp.baseAddress!, ldb: f, c: wp.baseAddress!, ldc: f)
                    }
                }
            }
            var gradB = [Float](repeating: 0, count: k)
            for row in 0..<n { for c in 0..<k { gradB[c] += g[row, c] } }
            let rate = learningRate * 0.5 * (1 + cos(Float.pi * Float(step - 1) / Float(steps)))
            let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
            func adam(_ value: inout Float, _ grad: Float, _ m: inout Float, _ v: inout Float) {
                m = beta1 * m + (1 - beta1) * grad
                v = beta2 * v + (1 - beta2) * grad * grad
                value -= rate * (m / correction1) / ((v / correction2).squareRoot() + epsilon)
            }
            for i in 0..<(k * f) { adam(&head.weights[i], gradW[i] + l2 * head.weights[i], &momentW[i], &velocityW[i]) }
            for c in 0..<k { adam(&head.bias[c], gradB[c], &momentB[c], &velocityB[c]) }
        }
        return head
    }
}
