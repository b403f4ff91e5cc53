/// LoRA dropout drawn from a counter-based hash: the backward regenerates the forward's mask instead of storing it.
///
/// Element i of stream s keeps its value (scaled by 1/(1 − p)) when hash(seed, s, i) ≥ p; PEFT applies this to a
/// LoRA layer's input, before A, with an independent mask per adapted projection.
public struct DropoutMask: Sendable, Equatable {
    /// Probability of dropping an element.
    public let probability: Float
    public let seed: UInt64

    public init(probability: Float, seed: UInt64) {
        precondition(probability >= 0 && probability < 1, "dropout probability \(probability) outside [0, 1)")
        self.probability = probability
        self.seed = seed
    }

    /// out `[n]` = x ⊙ mask / (1 − p) for element indices 0..<n of `stream`.
    func apply(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count n: Int, stream: UInt64) {
        let threshold = UInt64(Double(probability) * Double(1 << 24))
        let keepScale = 1 / (1 - probability)
        let base = seed &+ stream &* 0xD6E8_FEB8_6659_FD93
        for i in 0..<n {
            out[i] = Self.mix(base &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15) >> 40 >= threshold ? x[i] * keepScale : 0
        }
    }

    /// SplitMix64's finaliser: a well-mixed 64-bit hash of a counter.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
