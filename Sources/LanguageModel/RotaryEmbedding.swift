import Foundation

/// RoPE as llama.cpp applies it to GGUF llama weights: rotation of adjacent pairs (x[2i], x[2i+1]).
struct RotaryEmbedding: Sendable {
    /// Angle per position for pair i: base^(−2i/D), `[D/2]`.
    let frequencies: [Float]

    init(headWidth: Int, base: Float) {
        frequencies = (0..<(headWidth / 2)).map { i in
            Float(pow(Double(base), -2 * Double(i) / Double(headWidth)))
        }
    }

    /// Rotates every head of `rows` consecutive positions starting at `firstPosition`, in place.
    /// x: `[T, heads·D]`.
    func apply(_ x: inout [Float], rows: Int, heads: Int, firstPosition: Int) {
        let pairs = frequencies.count
        let width = heads * pairs * 2
        x.withUnsafeMutableBufferPointer { xp in
            for t in 0..<rows {
                let position = Float(firstPosition + t)
                for i in 0..<pairs {
                    let angle = position * frequencies[i]
                    let c = cosf(angle), s = sinf(angle)
                    for h in 0..<heads {
                        let base = t * width + h * pairs * 2 + 2 * i
                        let x0 = xp[base], x1 = xp[base + 1]
                        xp[base] = x0 * c - x1 * s
                        xp[base + 1] = x0 * s + x1 * c
                    }
                }
            }
        }
    }
}
