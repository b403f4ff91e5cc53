import Foundation
import Testing
import Tensors

/// The encoder's fast kernels against naive references.
struct EncoderKernelTests {
    @Test func erfMatchesLibm() {
        var worst: Float = 0
        for i in -60_000...60_000 {
            let z = Float(i) / 10_000
            worst = max(worst, abs(VectorMath.erf(z) - erff(z)))
        }
        #expect(worst < 5e-7)
        #expect(VectorMath.erf(.infinity) == 1 && VectorMath.erf(-30) == -1)
    }

    @Test func geluMatchesTheErfDefinition() {
        var x = (-800...800).map { Float($0) / 100 }
        let reference = x.map { 0.5 * $0 * (1 + erff($0 / Float(2).squareRoot())) }
        VectorMath.gelu(&x, count: x.count)
        #expect(zip(x, reference).allSatisfy { abs($0 - $1) < 2e-6 })
    }

    @Test func layerNormMatchesTheDefinition() {
        var x: [Float] = [1, 2, 3, 4, -1, 0, 1, 10]
        VectorMath.layerNorm(&x, rows: 2, weight: [1, 2, 1, 1], bias: [0, 0, 0.5, 0], eps: 1e-12)
        for (row, values) in [[Float(1), 2, 3, 4], [-1, 0, 1, 10]].enumerated() {
            let mean = values.reduce(0, +) / 4
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
            let expected = values.enumerated().map { i, v in (v - mean) / std * [1, 2, 1, 1][i] + [0, 0, 0.5, 0][i] }
            #expect(zip(x[(row * 4)..<(row * 4 + 4)], expected).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }
}

/// The BLAS kernel family is visible, so slow fallbacks can be reported.
struct BLASCoreTests {
    @Test func coreNameIsReported() {
        #expect(!BLAS.coreName.isEmpty && BLAS.coreName != "unknown")
    }
}
