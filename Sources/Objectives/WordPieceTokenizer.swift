import Foundation
import Tensors

/// Uncased BERT WordPiece: basic tokenisation, then greedy longest-match-first pieces (`##` marks a
/// continuation), framed as `[CLS] … [SEP]` and truncated to `maxLength` tokens in all.
/// As in the reference tokenizer, special tokens spelled out in the text (`[SEP]`, …) are kept as such.
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many characters become `[UNK]` whole.
    public static let maxCharactersPerWord = 100
    /// Tokens matched verbatim in the raw text, before normalisation.
    public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// Token strings by id (the lines of `vocab.txt`).
    public let tokens: [String]
    /// Total length of an encoding, `[CLS]` and `[SEP]` included (sentence-transformers uses 256 for MiniLM).
    public let maxLength: Int
    public let clsID: Int
    public let sepID: Int
    public let unknownID: Int
    private let ids: [String: Int]
    /// The special tokens the vocabulary holds, as scalars, with their ids.
    private let specials: [(scalars: [Unicode.Scalar], id: Int)]
    private let basic = BasicTokenizer()

    /// A tokenizer over `tokens` (ids are positions); it must hold `[CLS]`, `[SEP]` and `[UNK]`.
    public init(tokens: [String], maxLength: Int = 256, source: String = "vocabulary") throws {
        guard maxLength >= 2 else {
            throw FileError(path: source, reason: "maxLength \(maxLength) leaves no room for [CLS] and [SEP]")
        }
        var ids: [String: Int] = [:]
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        func special(_ token: String) throws -> Int {
            guard let id = ids[token] else { throw FileError(path: source, reason: "vocabulary has no \(token) token") }
            return id
        }
        self.tokens = tokens
        self.ids = ids
        self.maxLength = maxLength
        self.clsID = try special("[CLS]")
        self.sepID = try special("[SEP]")
        self.unknownID = try special("[UNK]")
        self.specials = Self.specialTokens.compactMap { token in ids[token].map { (Array(token.unicodeScalars), $0) } }
    }

    /// A tokenizer over a `vocab.txt` (one token a line, id = line number from 0).
    public init(vocabularyPath path: String, maxLength: Int = 256) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FileError(path: path, reason: "cannot read the vocabulary: \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, maxLength: maxLength, source: path)
    }

    /// The id of a token string, if it is in the vocabulary.
    public func id(of token: String) -> Int? { ids[token] }

    // MARK: - Encoding

    /// `[CLS]`, the word-piece ids of `text` (cut to fit), `[SEP]`.
    public func encode(_ text: String) -> [Int] {
        [clsID] + pieceIDs(text).prefix(maxLength - 2) + [sepID]
    }

    /// The word pieces of `text` as strings, without `[CLS]`/`[SEP]` and untruncated.
    public func tokenize(_ text: String) -> [String] {
        pieceIDs(text).map { tokens[$0] }
    }

    /// The word-piece ids of `text`, without `[CLS]`/`[SEP]` and untruncated.
    func pieceIDs(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        var plain = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "[", let special = specials.first(where: { scalars[i...].starts(with: $0.scalars) }) {
                ids += basic.words(String(plain)).flatMap(wordPieces)
                ids.append(special.id)
                plain = String.UnicodeScalarView()
                i += special.scalars.count
            } else {
                plain.append(scalars[i])
                i += 1
            }
        }
        return ids + basic.words(String(plain)).flatMap(wordPieces)
    }

    /// Greedy longest-match-first split of one word; the whole word is `[UNK]` if any part has no match.
    func wordPieces(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= Self.maxCharactersPerWord else { return [unknownID] }
        var pieces: [Int] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var match: Int?
            while start < end {
                var candidate = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { candidate = "##" + candidate }
                if let id = ids[candidate] {
                    match = id
                    break
                }
                end -= 1
            }
            guard let match else { return [unknownID] }
            pieces.append(match)
            start = end
        }
        return pieces
    }
}
