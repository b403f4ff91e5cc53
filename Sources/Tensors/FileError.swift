/// Why a file could not be read or written, naming the file and what was wrong in words a user can act on
/// (a GGUF model, encoder assets and their cache, an adapter folder).
public struct FileError: Error, CustomStringConvertible, Equatable {
    /// The file that failed.
    public let path: String
    /// What was wrong, and what was expected.
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
