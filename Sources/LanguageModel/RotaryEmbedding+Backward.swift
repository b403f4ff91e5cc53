import Foundation

extension RotaryEmbedding {
    /// Rotates each head's adjacent pairs of `rows` positions starting at `firstPosition`, in place, on a strided view;
    /// `inverse` rotates by the opposite angle, which is the rotation's transpose and so its backward.
    /// x: `[T, heads·D]`.
    func rotate(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, firstPosition: Int, inverse: Bool) {
        let pairs = frequencies.count
        let width = heads * pairs * 2
        let sign: Float = inverse ? -1 : 1
        for t in 0..<rows {
            let position = Float(firstPosition + t)
            for i in 0..<pairs {
                let angle = position * frequencies[i]
                let c = cosf(angle), s = sign * sinf(angle)
                for h in 0..<heads {
                    let p = x + t * width + h * pairs * 2 + 2 * i
                    let x0 = p[0], x1 = p[1]
                    p[0] = x0 * c - x1 * s
                    p[1] = x0 * s + x1 * c
                }
            }
        }
    }
}
