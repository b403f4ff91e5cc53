import Tensors

/// GPT-2 style byte-level BPE, as `tokenizer.ggml.model = "gpt2"` GGUF files describe it; matches Hugging Face's
/// `tokenizers` id for id.
///
/// Encoding: special tokens are cut out of the text first, wherever they are written; the rest is split into
/// pieces by the `PreTokenizer`; each piece's UTF-8 bytes start as one token per byte and are merged by rank.
/// Bytes with no token of their own (SmolLM2 has none for 21 bytes, such as 0x04 or 0xFF) are dropped, as
/// Hugging Face's BPE does without an unknown token.
public final class BPETokenizer: Tokenizer {
    public let vocabularySize: Int
    public let eosID: Int
    public let preTokenizer: PreTokenizer
    /// The bytes each token stands for.
    private let tokenBytes: [[UInt8]]
    /// The token of each single byte, indexed by the byte.
    private let byteTokenIDs: [Int?]
    private let merges: MergeTable
    private let specialIDs: [String: Int]
    private let specials: SpecialTokenSplitter
    private let cache = PieceCache(capacity: 100_000)

    /// llama.cpp token types matched as whole tokens in text and decoded verbatim: control (3), user-defined (4).
    private static let specialTypes: Set<Int> = [3, 4]

    /// Reads the tokenizer of a GGUF file; errors name the file and the metadata field at fault.
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        let pre = try gguf.string("tokenizer.ggml.pre")
        do {
            try self.init(model: model, preTokenizer: pre,
                          tokens: try gguf.strings("tokenizer.ggml.tokens"),
                          merges: try gguf.strings("tokenizer.ggml.merges"),
                          tokenTypes: try gguf.ints("tokenizer.ggml.token_type"),
                          eosID: try gguf.int("tokenizer.ggml.eos_token_id"))
        } catch let error as TokenizerError {
            throw FileError(path: gguf.path, reason: error.description)
        }
    }

    /// A tokenizer from its parts, named as the GGUF fields they come from.
    /// - Parameters:
    ///   - model: `tokenizer.ggml.model`; only "gpt2" (byte-level BPE) is supported.
    ///   - preTokenizer: `tokenizer.ggml.pre`, see `PreTokenizer`.
    ///   - tokens: token texts in the byte-level alphabet, indexed by id.
    ///   - merges: "left right" rules, highest priority first.
    ///   - tokenTypes: llama.cpp token types, indexed by id (1 normal, 3 control, 4 user-defined).
    public init(model: String = "gpt2", preTokenizer: String = "smollm", tokens: [String], merges: [String],
                tokenTypes: [Int], eosID: Int) throws(TokenizerError) {
        guard model == "gpt2" else {
            throw TokenizerError(field: "tokenizer.ggml.model",
                                 reason: "tokenizer model \"\(model)\" is not supported (expected \"gpt2\", byte-level BPE)")
        }
        self.preTokenizer = try PreTokenizer(name: preTokenizer)
        guard tokenTypes.count == tokens.count else {
            throw TokenizerError(field: "tokenizer.ggml.token_type",
                                 reason: "\(tokenTypes.count) token types for \(tokens.count) tokens")
        }
        guard tokens.indices.contains(eosID) else {
            throw TokenizerError(field: "tokenizer.ggml.eos_token_id",
                                 reason: "id \(eosID) is outside the vocabulary of \(tokens.count) tokens")
        }
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
        self.merges = try MergeTable(merges: merges, ids: ids)

        let special = tokens.indices.filter { Self.specialTypes.contains(tokenTypes[$0]) }
        specialIDs = Dictionary(special.map { (tokens[$0], $0) }, uniquingKeysWith: { first, _ in first })
        specials = SpecialTokenSplitter(special.map { (tokens[$0], $0) })
        tokenBytes = tokens.indices.map { id in
            Self.specialTypes.contains(tokenTypes[id])
                ? Array(tokens[id].utf8)
                : ByteLevelAlphabet.decode(tokens[id]) ?? Array(tokens[id].utf8)
        }
        byteTokenIDs = ByteLevelAlphabet.scalars.map { ids[String($0)] }
        vocabularySize = tokens.count
        self.eosID = eosID
    }

    // MARK: - Tokenizer

    public func encode(_ text: String) -> [Int] {
        let scalars = Array(text.unicodeScalars)
        var ids: [Int] = []
        ids.reserveCapacity(scalars.count / 3)
        for segment in specials.split(scalars) {
            switch segment {
            case .special(let id):
                ids.append(id)
            case .text(let range):
                for piece in preTokenizer.pieces(of: scalars[range]) {
                    ids += encode(piece: String(String.UnicodeScalarView(scalars[piece])))
                }
            }
        }
        return ids
    }

    public func bytes(of token: Int) -> [UInt8] {
        precondition(tokenBytes.indices.contains(token), "token id \(token) is outside the vocabulary of \(vocabularySize)")
        return tokenBytes[token]
    }

    public func specialTokenID(_ text: String) -> Int? {
        specialIDs[text]
    }

    // MARK: - BPE

    /// The ids of one pre-tokenized piece.
    private func encode(piece: String) -> [Int] {
        if let ids = cache.ids(for: piece) { return ids }
        let ids = merges.apply(piece.utf8.compactMap { byteTokenIDs[Int($0)] })
        cache.store(ids, for: piece)
        return ids
    }
}
