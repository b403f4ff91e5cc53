import Foundation

/// A load or import failure that names the file, line and field, and what was expected there.
///
/// Its description reads like a compiler diagnostic, for example
/// `data.csv:17: field "level": expected an integer 0, 1 or 2, got "high"`.
/// Parts that do not apply (no line for an empty file, no field for a broken
/// quote between fields) are left out.
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file's name (last path component), or nil when no file is involved.
    public var file: String?
    /// The 1-based line where the offending record or byte starts.
    public var line: Int?
    /// The column, JSON key or option that was wrong.
    public var field: String?
    /// What the reader expected to find, as a noun phrase.
    public var expected: String
    /// What it found instead, already formatted (values quoted by `quoted(_:)`).
    public var got: String?

    /// Creates an error from its parts.
    public init(file: String?, line: Int? = nil, field: String? = nil, expected: String, got: String? = nil) {
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.got = got
    }

    /// The one-line message: `file:line: field "name": expected …, got …`.
    public var description: String {
        var parts: [String] = []
        let location = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        if !location.isEmpty { parts.append(location) }
        if let field { parts.append("field \"\(field)\"") }
        parts.append("expected \(expected)" + (got.map { ", got \($0)" } ?? ""))
        return parts.joined(separator: ": ")
    }

    /// The same message for Foundation's `localizedDescription`.
    public var errorDescription: String? { description }

    /// Quotes a value for a message, escaping quotes and line breaks and shortening long text.
    public static func quoted(_ value: String, limit: Int = 60) -> String {
        let escaped = value
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "\\r")
            .replacingOccurrences(of: "\n", with: "\\n")
        let shown = escaped.count > limit ? escaped.prefix(limit) + "…" : Substring(escaped)
        return "\"\(shown)\""
    }
}
