/// A small RFC 4180 CSV reader that reports the line on which each record starts.
///
/// Hand-written rather than borrowed because every import error must name the
/// line (and field) where it happened, and a record with a quoted multi-line field
/// starts on a different line than its neighbours' count suggests. It reads
/// comma-separated fields; double-quoted fields may hold commas, line breaks and
/// doubled quotes (`""`); records end with LF or CRLF; a byte-order mark is dropped
/// by `TextFile`. Lenient where the RFC is silent: empty lines between records
/// are skipped, and a quote inside an unquoted field is kept as text.
public struct CSVReader: Sendable {
    /// One record and the line where it starts.
    public struct Record: Sendable, Equatable {
        /// The 1-based line where the record's first field starts.
        public let line: Int
        /// The record's fields, unquoted.
        public let fields: [String]

        /// Creates a record.
        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The file name used in error messages.
    public let file: String
    /// Column names used in error messages once the header has been read.
    public var columnNames: [String] = []
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Creates a reader over already decoded text.
    public init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    /// Reads every record of `text`.
    public static func records(in text: String, file: String) throws(CorpusError) -> [Record] {
        var reader = CSVReader(text: text, file: file)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// Reads the next record, or returns nil at the end of the text.
    public mutating func next() throws(CorpusError) -> Record? {
        while let length = lineBreakLength(at: position) {
            position += length
            line += 1
        }
        guard position < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        while true {
            fields.append(try readField(index: fields.count))
            if position < bytes.count, bytes[position] == Self.comma {
                position += 1
                continue
            }
            if let length = lineBreakLength(at: position) {
                position += length
                line += 1
            }
            return Record(line: start, fields: fields)
        }
    }

    // MARK: - Fields

    /// Reads one field and leaves `position` on the delimiter after it.
    private mutating func readField(index: Int) throws(CorpusError) -> String {
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            while position < bytes.count, bytes[position] != Self.comma, lineBreakLength(at: position) == nil {
                position += 1
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
        return try readQuotedField(index: index)
    }

    /// Reads a double-quoted field, undoubling `""`, and checks what follows the closing quote.
    private mutating func readQuotedField(index: Int) throws(CorpusError) -> String {
        let openingLine = line
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw CorpusError(file: file, line: openingLine, field: columnName(index),
                                  expected: "a closing quote for the field opened on this line", got: "the end of the file")
            }
            let byte = bytes[position]
            position += 1
            if byte == Self.quote {
                guard position < bytes.count, bytes[position] == Self.quote else { break }
                position += 1
            } else if byte == Self.newline {
                line += 1
            }
            value.append(byte)
        }
        guard position == bytes.count || bytes[position] == Self.comma || lineBreakLength(at: position) != nil else {
            let found = String(decoding: bytes[position..<min(position + 1, bytes.count)], as: UTF8.self)
            throw CorpusError(file: file, line: line, field: columnName(index),
                              expected: "a comma or line end after the closing quote", got: CorpusError.quoted(found))
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// The length of the line break (LF or CRLF) at `index`, or nil when there is none.
    private func lineBreakLength(at index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        if bytes[index] == Self.newline { return 1 }
        if bytes[index] == Self.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Self.newline { return 2 }
        return nil
    }

    /// The header's name for column `index`, or `column N` before the header is known.
    private func columnName(_ index: Int) -> String {
        index < columnNames.count ? columnNames[index] : "column \(index + 1)"
    }
}
