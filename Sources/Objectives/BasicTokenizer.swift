import Foundation

/// BERT's basic (pre-)tokenisation for uncased models: clean, split on whitespace, isolate CJK characters,
/// lower-case, strip accents, split off punctuation. Its words are what WordPiece then splits into pieces.
public struct BasicTokenizer: Sendable {
    public init() {}

    /// The words of `text`, in order.
    public func words(_ text: String) -> [String] {
        var words: [String] = []
        for chunk in whitespaceChunks(text) {
            words.append(contentsOf: splitPunctuation(normalize(chunk)))
        }
        return words
    }

    // MARK: - Steps

    /// Drops NUL, U+FFFD and control characters, then splits on whitespace, giving each CJK ideograph its own chunk.
    func whitespaceChunks(_ text: String) -> [String.UnicodeScalarView] {
        var chunks: [String.UnicodeScalarView] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { chunks.append(current) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if scalar.properties.isWhitespace {
                flush()
            } else if Self.isCJK(scalar) {
                flush()
                chunks.append(String.UnicodeScalarView([scalar]))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return chunks
    }

    /// Lower-cases, then strips accents: canonical decomposition (NFD) without the non-spacing marks.
    func normalize(_ chunk: String.UnicodeScalarView) -> String.UnicodeScalarView {
        let decomposed = String(chunk).lowercased().decomposedStringWithCanonicalMapping
        return String.UnicodeScalarView(decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark })
    }

    /// Splits a chunk so that every punctuation character is a word of its own.
    func splitPunctuation(_ chunk: String.UnicodeScalarView) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in chunk {
            if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(String(current)) }
                words.append(String(scalar))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    // MARK: - Character classes (as the reference BERT tokenizer defines them)

    /// Control and format characters (Cc, Cf), except tab, newline and carriage return, which count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        let category = scalar.properties.generalCategory
        return category == .control || category == .format
    }

    /// ASCII non-alphanumeric printable characters, and every Unicode punctuation category (P*).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks (and their extensions and compatibility forms); not kana or hangul.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        let ranges: [ClosedRange<UInt32>] = [
            0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F,
        ]
        return ranges.contains { $0.contains(scalar.value) }
    }
}
