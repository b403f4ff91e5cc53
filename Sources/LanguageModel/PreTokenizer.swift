/// Splits text into the pieces that BPE encodes one at a time, as GPT-2 style tokenizers do.
///
/// Pieces come from GPT-2's pattern, matched by hand over Unicode scalars:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// The alternatives are tried in order at each position. A run of whitespace followed by a word gives
/// up its last scalar to the word (`"a   b"` → `a`, `␣␣`, `␣b`); a run that ends the text stays whole.
/// The `smollm` flavour first isolates every `\p{N}` scalar as a piece of its own, and the pattern then
/// runs on the text between digits, its look-ahead not seeing past them (`"a  1"` → `a`, `␣␣`, `1`).
public struct PreTokenizer: Sendable, Equatable {
    /// The llama.cpp name of the flavour (`tokenizer.ggml.pre`).
    public let name: String
    /// Whether each number scalar is a piece of its own before the pattern runs.
    let isolatesDigits: Bool

    /// The flavour llama.cpp calls `name`: "smollm" or "gpt2".
    public init(name: String) throws(TokenizerError) {
        switch name {
        case "smollm": isolatesDigits = true
        case "gpt2": isolatesDigits = false
        default:
            throw TokenizerError(field: "tokenizer.ggml.pre",
                                 reason: "unknown pre-tokenizer \"\(name)\" (supported: \"smollm\", \"gpt2\")")
        }
        self.name = name
    }

    /// The pieces of `text`, in order; joined they give `text` back.
    public func pieces(of text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return pieces(of: scalars[...]).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    /// The pieces of `scalars`, as index ranges into it.
    func pieces(of scalars: ArraySlice<Unicode.Scalar>) -> [Range<Int>] {
        let classes = scalars.map(ScalarClass.init)
        var result: [Range<Int>] = []
        var start = scalars.startIndex
        for i in scalars.indices where isolatesDigits && classes[i - scalars.startIndex] == .number {
            splitByPattern(scalars, classes, start..<i, into: &result)
            result.append(i..<i + 1)
            start = i + 1
        }
        splitByPattern(scalars, classes, start..<scalars.endIndex, into: &result)
        return result
    }

    // MARK: - The pattern

    /// Appends the pattern's matches in `range`, which they cover exactly.
    private func splitByPattern(_ scalars: ArraySlice<Unicode.Scalar>, _ classes: [ScalarClass],
                                _ range: Range<Int>, into result: inout [Range<Int>]) {
        var i = range.lowerBound
        while i < range.upperBound {
            let end = matchEnd(scalars, classes, from: i, before: range.upperBound)
            result.append(i..<end)
            i = end
        }
    }

    /// Where the pattern's match starting at `i` ends, looking no further than `limit`.
    private func matchEnd(_ scalars: ArraySlice<Unicode.Scalar>, _ classes: [ScalarClass],
                          from i: Int, before limit: Int) -> Int {
        let base = scalars.startIndex
        func cls(_ k: Int) -> ScalarClass { classes[k - base] }

        // 's|'t|'re|'ve|'m|'ll|'d
        if scalars[i] == "'", let length = contractionLength(scalars[(i + 1)..<min(i + 3, limit)]) {
            return i + 1 + length
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: one optional space, then a run of one class.
        let runStart = scalars[i] == " " && i + 1 < limit ? i + 1 : i
        let runClass = cls(runStart)
        if runClass != .whitespace {
            var end = runStart + 1
            while end < limit && cls(end) == runClass { end += 1 }
            return end
        }
        // `\s+(?!\S)`, else `\s+`: the run, less its last scalar when a non-space follows and it has two or more.
        var end = i + 1
        while end < limit && cls(end) == .whitespace { end += 1 }
        return end == limit || end - i == 1 ? end : end - 1
    }

    /// The length after the apostrophe of a GPT-2 contraction at the start of `next` (case-sensitive), if any.
    private func contractionLength(_ next: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let first = next.first else { return nil }
        if first == "s" || first == "t" || first == "m" || first == "d" { return 1 }
        guard next.count == 2 else { return nil }
        let second = next[next.startIndex + 1]
        switch (first, second) {
        case ("r", "e"), ("v", "e"), ("l", "l"): return 2
        default: return nil
        }
    }
}

/// The pattern's view of a scalar: `\p{L}`, `\p{N}`, `\s` (Unicode White_Space) or anything else.
enum ScalarClass: UInt8 {
    case letter, number, whitespace, other

    init(_ scalar: Unicode.Scalar) {
        if scalar.isASCII {
            self = Self.ascii[Int(scalar.value)]
            return
        }
        let properties = scalar.properties
        if properties.isWhitespace {
            self = .whitespace
            return
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: self = .letter
        case .decimalNumber, .letterNumber, .otherNumber: self = .number
        default: self = .other
        }
    }

    /// The class of each ASCII scalar.
    private static let ascii: [ScalarClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): .number
        case 0x09...0x0D, 0x20: .whitespace
        default: .other
        }
    }
}
