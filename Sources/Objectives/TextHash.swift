/// The 128-bit FNV-1a hash of a text's UTF-8 bytes: a stable key for caching across runs
/// (Swift's `Hasher` is seeded per process, so it cannot key a file).
public struct TextHash: Hashable, Sendable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Hashes `text`.
    public init(_ text: String) {
        // Offset basis 144066263297769815596495629667062367629; prime 2^88 + 2^8 + 0x3b.
        var high: UInt64 = 0x6C62_272E_07BB_0142
        var low: UInt64 = 0x62B8_2175_6295_C58D
        for byte in text.utf8 {
            low ^= UInt64(byte)
            // (high, low) · (2^88 + 0x13b) mod 2^128
            let (carry, product) = low.multipliedFullWidth(by: 0x13B)
            high = high &* 0x13B &+ carry &+ (low << 24)
            low = product
        }
        self.init(high: high, low: low)
    }

    public var description: String {
        let hex = { (v: UInt64) in String(repeating: "0", count: 16 - String(v, radix: 16).count) + String(v, radix: 16) }
        return hex(high) + hex(low)
    }
}
