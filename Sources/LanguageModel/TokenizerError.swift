/// Why tokenizer data was rejected, naming the GGUF field it came from.
public struct TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The metadata key at fault, such as `tokenizer.ggml.model`.
    public let field: String
    /// What was wrong, in words a user can act on.
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}
