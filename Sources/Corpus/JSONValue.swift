import Foundation

/// A parsed JSON value, kept as data so that importers can say what they found instead of what they expected.
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes any JSON value.
    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `text` as one JSON value; a syntax error becomes a `CorpusError` at `line`.
    static func parse(_ text: some StringProtocol, file: String, line: Int?) throws(CorpusError) -> JSONValue {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw CorpusError(file: file, line: line, expected: "a JSON value", got: "nothing")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw CorpusError(file: file, line: line, expected: "valid JSON", got: Self.reason(error))
        }
    }

    /// A short description of the value for error messages: strings quoted, containers by kind.
    var summary: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): CorpusError.quoted(value)
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The text of the value when it is a string.
    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The members of the value when it is an object.
    var object: [String: JSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The reader's own words for a syntax error, without Foundation's generic preamble.
    private static func reason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error, let underlying = context.underlyingError {
            let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return text ?? String(describing: underlying)
        }
        return String(describing: error)
    }
}
