/// Why a GGUF file could not be read, naming the file and what was expected.
public struct GGUFError: Error, CustomStringConvertible, Equatable {
    /// The file that failed.
    public let path: String
    /// What was wrong, in words a user can act on.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
