import Tensors

/// How a head's features are made from sentence embeddings (C = embedding width).
public enum FeatureRecipe: String, Codable, Sendable, CaseIterable {
    /// The response embedding v: `[C]`.
    case response
    /// Client side u and response v: `[u, v, u⊙v, |u−v|, u·v]`, `[4C + 1]`.
    case pair

    /// The feature width for embeddings of width `dimension`.
    public func width(dimension c: Int) -> Int {
        switch self {
        case .response: c
        case .pair: 4 * c + 1
        }
    }

    /// Features `[B, F]` from client-side embeddings u `[B, C]` (unused by `.response`) and responses v `[B, C]`.
    public func features(client u: Matrix, response v: Matrix) -> Matrix {
        switch self {
        case .response:
            return v
        case .pair:
            precondition(u.rows == v.rows && u.cols == v.cols, "client [\(u.rows), \(u.cols)] and response [\(v.rows), \(v.cols)] differ")
            let c = v.cols, width = width(dimension: c)
            var x = Matrix(rows: v.rows, cols: width)
            for row in 0..<v.rows {
                var dot: Float = 0
                for i in 0..<c {
                    let a = u[row, i], b = v[row, i]
                    x[row, i] = a
                    x[row, c + i] = b
                    x[row, 2 * c + i] = a * b
                    x[row, 3 * c + i] = abs(a - b)
                    dot += a * b
                }
                x[row, 4 * c] = dot
            }
            return x
        }
    }
}

/// The client side of a pair as the reflection heads read it: the last utterances, joined by spaces and cut
/// from the left (the most recent words are kept) to what the encoder reads.
public struct ClientContext: Sendable {
    /// How many utterances, ending with the client's, make the client side (AnnoMI pairs carry up to 4).
    public static let utterances = 4
    /// The tokenizer whose word pieces are counted.
    public let tokenizer: WordPieceTokenizer

    public init(tokenizer: WordPieceTokenizer) {
        self.tokenizer = tokenizer
    }

    /// The last `utterances` of `turns` (oldest first) as one text that fits the encoder without cutting its end.
    public func text(_ turns: [String]) -> String {
        let joined = turns.suffix(Self.utterances).joined(separator: " ")
        let budget = tokenizer.maxLength - 2
        guard tokenizer.pieceIDs(joined).count > budget else { return joined }
        var words = joined.split(separator: " ", omittingEmptySubsequences: true)
        var low = 0, high = words.count     // the answer: fewest leading words to drop so the rest fits
        while low < high {
            let mid = (low + high) / 2
            if tokenizer.pieceIDs(words[mid...].joined(separator: " ")).count <= budget { high = mid } else { low = mid + 1 }
        }
        words.removeFirst(low)
        return words.joined(separator: " ")
    }
}
