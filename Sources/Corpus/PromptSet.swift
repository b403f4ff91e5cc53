import Foundation

/// A named list of client statements: the prompts a policy is trained, validated or tested on.
public struct PromptSet: Sendable, Equatable {
    /// The three splits shipped in `data/prompts/`.
    public enum Split: String, CaseIterable, Sendable, Codable {
        case train, validation, test

        /// The split's file name, e.g. `train.jsonl`.
        public var fileName: String { rawValue + ".jsonl" }
    }

    /// A short name, usually the file's stem.
    public var name: String
    /// The records in file order.
    public var records: [PromptRecord]

    /// Creates a set.
    public init(name: String, records: [PromptRecord]) {
        self.name = name
        self.records = records
    }

    /// The number of records.
    public var count: Int { records.count }
    /// The client statements in order.
    public var clients: [String] { records.map(\.client) }
    /// The distinct topics present.
    public var topics: Set<String> { Set(records.compactMap(\.topic)) }

    // MARK: - Loading

    /// Loads one of the shipped splits from `dataDirectory/prompts/`.
    public static func load(_ split: Split, from dataDirectory: URL = DataDirectory.locate()) throws(CorpusError) -> PromptSet {
        try read(DataDirectory.prompts(in: dataDirectory).appendingPathComponent(split.fileName))
    }

    /// Reads a prompt file in the project's JSONL schema (one `PromptRecord` object per line).
    public static func read(_ url: URL) throws(CorpusError) -> PromptSet {
        try parse(TextFile.read(url), name: url.deletingPathExtension().lastPathComponent, file: url.lastPathComponent)
    }

    /// Parses JSONL text: one object per line with `id`, `client` and optional `topic`, `reflection`; blank lines skipped.
    public static func parse(_ text: String, name: String, file: String) throws(CorpusError) -> PromptSet {
        var records: [PromptRecord] = []
        var firstLineOfID: [String: Int] = [:]
        for (line, content) in TextFile.numberedLines(text) {
            guard !content.allSatisfy(\.isWhitespace) else { continue }
            let object = try JSONRecord(JSONValue.parse(content, file: file, line: line), file: file, line: line,
                                        expected: "a JSON object with \"id\" and \"client\"")
            let record = PromptRecord(id: try object.text("id"), topic: try object.optionalText("topic"),
                                      client: try object.text("client"), reflection: try object.optionalText("reflection"))
            if let first = firstLineOfID[record.id] {
                throw CorpusError(file: file, line: line, field: "id",
                                  expected: "an id not used before (this one is on line \(first))",
                                  got: CorpusError.quoted(record.id))
            }
            firstLineOfID[record.id] = line
            records.append(record)
        }
        guard !records.isEmpty else {
            throw CorpusError(file: file, expected: "at least one JSON object", got: "an empty file")
        }
        return PromptSet(name: name, records: records)
    }
}
