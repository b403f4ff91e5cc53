/// One JSON object of an import file, with string field access whose errors name file, line and key.
struct JSONRecord {
    /// The object's members.
    let members: [String: JSONValue]
    /// The file name used in error messages.
    let file: String
    /// The line where the object starts, when known.
    let line: Int?

    /// Wraps `value`, which must be an object; `expected` describes the object for the error otherwise.
    init(_ value: JSONValue, file: String, line: Int?, expected: String) throws(CorpusError) {
        guard let members = value.object else {
            throw CorpusError(file: file, line: line, expected: expected, got: value.summary)
        }
        self.members = members
        self.file = file
        self.line = line
    }

    /// The non-empty string under `key`.
    func text(_ key: String) throws(CorpusError) -> String {
        guard let value = members[key] else {
            throw CorpusError(file: file, line: line, field: key, expected: "a string", got: "no such key")
        }
        guard let text = value.string, !text.allSatisfy(\.isWhitespace) else {
            throw CorpusError(file: file, line: line, field: key, expected: "a non-empty string", got: value.summary)
        }
        return text
    }

    /// The string under `key`, or nil when the key is absent, null or an empty string.
    func optionalText(_ key: String) throws(CorpusError) -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard let text = value.string else {
            throw CorpusError(file: file, line: line, field: key, expected: "a string or null", got: value.summary)
        }
        return text.allSatisfy(\.isWhitespace) ? nil : text
    }
}
