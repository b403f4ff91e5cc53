import Foundation

/// A CSV file read as a header and rows whose fields are addressed by column name.
///
/// The table checks the header for the columns an importer needs and every row
/// for the header's field count, so importers only deal with field values.
public struct CSVTable: Sendable {
    /// One data row, with typed access to its fields that reports file, line and column.
    public struct Row: Sendable {
        /// The 1-based line where the row starts.
        public let line: Int
        fileprivate let fields: [String]
        fileprivate let columns: [String: Int]
        fileprivate let file: String

        /// The raw text of `column` (empty when the column is not in the header).
        public subscript(column: String) -> String {
            columns[column].map { fields[$0] } ?? ""
        }

        /// The text of `column`, which must not be empty or only whitespace.
        public func nonEmpty(_ column: String) throws(CorpusError) -> String {
            let value = self[column]
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw error(column, expected: "a non-empty text", got: CorpusError.quoted(value))
            }
            return value
        }

        /// The integer in `column`.
        public func integer(_ column: String) throws(CorpusError) -> Int {
            let value = self[column]
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw error(column, expected: "an integer", got: CorpusError.quoted(value))
            }
            return number
        }

        /// The case of `T` whose integer raw value is in `column`, such as a level 0, 1 or 2.
        public func integerCase<T: RawRepresentable & CaseIterable>(_ column: String, as type: T.Type) throws(CorpusError) -> T
        where T.RawValue == Int {
            let value = self[column]
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)), let result = T(rawValue: number) else {
                let allowed = T.allCases.map { String($0.rawValue) }
                throw error(column, expected: "an integer \(Self.alternatives(allowed))", got: CorpusError.quoted(value))
            }
            return result
        }

        /// The case of `T` whose text raw value is in `column`, such as a speaker or behaviour.
        public func textCase<T: RawRepresentable & CaseIterable>(_ column: String, as type: T.Type) throws(CorpusError) -> T
        where T.RawValue == String {
            let value = self[column]
            guard let result = T(rawValue: value.trimmingCharacters(in: .whitespaces)) else {
                let allowed = T.allCases.map { "\"\($0.rawValue)\"" }
                throw error(column, expected: Self.alternatives(allowed), got: CorpusError.quoted(value))
            }
            return result
        }

        /// An error about `column` on this row.
        public func error(_ column: String, expected: String, got: String?) -> CorpusError {
            CorpusError(file: file, line: line, field: column, expected: expected, got: got)
        }

        /// Lists alternatives as `a, b or c`.
        private static func alternatives(_ items: [String]) -> String {
            guard let last = items.last, items.count > 1 else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + " or " + last
        }
    }

    /// The file name used in error messages.
    public let file: String
    /// The header's column names, trimmed.
    public let header: [String]
    /// The line the header starts on.
    public let headerLine: Int
    /// The data rows, at least one.
    public let rows: [Row]

    /// Reads the CSV file at `url`, requiring the given columns in its header.
    public static func read(_ url: URL, requiring required: [String]) throws(CorpusError) -> CSVTable {
        try CSVTable(text: TextFile.read(url), file: url.lastPathComponent, requiring: required)
    }

    /// Reads CSV `text`, requiring the given columns in its header and at least one row.
    public init(text: String, file: String, requiring required: [String]) throws(CorpusError) {
        var reader = CSVReader(text: text, file: file)
        guard let headerRecord = try reader.next() else {
            throw CorpusError(file: file, expected: "a header line", got: "an empty file")
        }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        self.file = file
        self.header = header
        self.headerLine = headerRecord.line
        try Self.require(required, header: header, line: headerRecord.line, file: file)
        reader.columnNames = header
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [Row] = []
        while let record = try reader.next() {
            try Self.checkFieldCount(record, header: header, file: file)
            rows.append(Row(line: record.line, fields: record.fields, columns: columns, file: file))
        }
        guard !rows.isEmpty else {
            throw CorpusError(file: file, line: headerRecord.line, expected: "at least one row after the header", got: "none")
        }
        self.rows = rows
    }

    /// Checks that the header names every column in `columns`.
    public func require(_ columns: [String]) throws(CorpusError) {
        try Self.require(columns, header: header, line: headerLine, file: file)
    }

    /// Checks that `header` names every column in `columns`.
    private static func require(_ columns: [String], header: [String], line: Int, file: String) throws(CorpusError) {
        for column in columns where !header.contains(column) {
            throw CorpusError(file: file, line: line, field: column, expected: "a column of that name in the header",
                              got: "columns " + header.joined(separator: ", "))
        }
    }

    /// Checks that `record` has exactly as many fields as the header.
    private static func checkFieldCount(_ record: CSVReader.Record, header: [String], file: String) throws(CorpusError) {
        let count = record.fields.count
        if count < header.count {
            throw CorpusError(file: file, line: record.line, field: header[count],
                              expected: "a value (the header has \(header.count) columns)", got: "a row of \(count) fields")
        }
        if count > header.count {
            throw CorpusError(file: file, line: record.line, field: "column \(header.count + 1)",
                              expected: "no more than the header's \(header.count) fields", got: "a row of \(count) fields")
        }
    }
}
