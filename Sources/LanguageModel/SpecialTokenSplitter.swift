/// Finds special tokens written anywhere in a text, before pre-tokenisation sees it.
///
/// At each position the longest special token that starts there wins, as Hugging Face's added-token
/// matcher does (leftmost-longest).
struct SpecialTokenSplitter: Sendable {
    /// One part of a text: a special token, or text between them.
    enum Segment: Equatable {
        case special(Int)
        case text(Range<Int>)
    }

    /// Special tokens as scalars with their ids, grouped by first scalar, longest first.
    private let candidates: [Unicode.Scalar: [(scalars: [Unicode.Scalar], id: Int)]]

    init(_ tokens: [(text: String, id: Int)]) {
        var candidates: [Unicode.Scalar: [(scalars: [Unicode.Scalar], id: Int)]] = [:]
        for (text, id) in tokens {
            let scalars = Array(text.unicodeScalars)
            guard let first = scalars.first else { continue }
            candidates[first, default: []].append((scalars, id))
        }
        self.candidates = candidates.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    /// The segments of `scalars`, in order; text segments are never empty.
    func split(_ scalars: [Unicode.Scalar]) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var i = 0
        while i < scalars.count {
            guard let (length, id) = match(scalars, at: i) else {
                i += 1
                continue
            }
            if textStart < i { segments.append(.text(textStart..<i)) }
            segments.append(.special(id))
            i += length
            textStart = i
        }
        if textStart < scalars.count { segments.append(.text(textStart..<scalars.count)) }
        return segments
    }

    /// The longest special token starting at `i`, as its length in scalars and its id.
    private func match(_ scalars: [Unicode.Scalar], at i: Int) -> (length: Int, id: Int)? {
        guard let list = candidates[scalars[i]] else { return nil }
        for candidate in list where scalars[i...].starts(with: candidate.scalars) {
            return (candidate.scalars.count, candidate.id)
        }
        return nil
    }
}
