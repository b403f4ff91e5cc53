/// Decodes tokens one at a time, holding back the bytes of a character split across tokens.
///
/// The concatenation of everything `decode(token:)` and `finish()` return equals `tokenizer.decode(ids)`.
public struct StreamingDecoder: Sendable {
    private let tokenizer: any Tokenizer
    /// Bytes received that begin a character not yet complete.
    private var pending: [UInt8] = []

    public init(tokenizer: any Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// The text that `token` completes; empty while a character is still incomplete.
    public mutating func decode(token: Int) -> String {
        pending += tokenizer.bytes(of: token)
        let complete = pending.count - Self.incompleteSuffixLength(pending)
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is held back, as text (an incomplete character becomes U+FFFD); the decoder is empty afterwards.
    public mutating func finish() -> String {
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many bytes at the end of `bytes` begin a UTF-8 sequence that more bytes could still complete.
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        // A lead byte among the last three, followed only by continuation bytes, but fewer than it announces.
        for back in 1..<min(4, bytes.count + 1) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }
            let needed = byte >= 0xF0 && byte <= 0xF4 ? 4 : byte >= 0xE0 && byte <= 0xEF ? 3 : byte >= 0xC2 && byte <= 0xDF ? 2 : 1
            return needed > back ? back : 0
        }
        return 0
    }
}
