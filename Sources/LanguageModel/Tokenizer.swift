/// Text to token ids and back; all the generator knows about tokenization.
public protocol Tokenizer: Sendable {
    /// How many token ids there are (ids run from 0 to `vocabularySize - 1`).
    var vocabularySize: Int { get }
    /// The id that ends a generated turn.
    var eosID: Int { get }
    /// The ids of `text`, special tokens written in it included.
    func encode(_ text: String) -> [Int]
    /// The bytes `token` stands for: possibly part of one UTF-8 character, whose rest comes in later tokens.
    func bytes(of token: Int) -> [UInt8]
    /// The id of the special token written `text`, such as `<|im_end|>`.
    func specialTokenID(_ text: String) -> Int?
}

extension Tokenizer {
    /// The text of `ids`; bytes that are not valid UTF-8 become U+FFFD.
    public func decode(_ ids: [Int]) -> String {
        String(decoding: ids.flatMap { bytes(of: $0) }, as: UTF8.self)
    }
}
