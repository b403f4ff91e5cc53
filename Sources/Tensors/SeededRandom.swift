/// A small, fast, seedable generator (xoshiro256**), so the same seed gives the same text on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The whole generator state; saving it and restoring it resumes the exact sequence.
    public private(set) var state: [UInt64]

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var z = seed
        state = (0..<4).map { _ in
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotate(state[3], 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
