import Foundation

/// Imports PAIR-style CSV files with the header `prompt,response,level` (level 0, 1 or 2).
public enum PAIRImporter {
    /// The columns the header must contain.
    public static let columns = ["prompt", "response", "level"]

    /// Reads every row of the file at `url`; any malformed row fails the whole import.
    public static func examples(from url: URL) throws(CorpusError) -> [PAIRExample] {
        try examples(in: CSVTable.read(url, requiring: columns))
    }

    /// Parses every row of CSV `text`; any malformed row fails the whole import.
    public static func examples(parsing text: String, file: String) throws(CorpusError) -> [PAIRExample] {
        try examples(in: CSVTable(text: text, file: file, requiring: columns))
    }

    /// Reads the file at `url` as a prompt set (see `promptSet(from:name:)`).
    public static func promptSet(from url: URL) throws(CorpusError) -> PromptSet {
        promptSet(from: try examples(from: url), name: url.deletingPathExtension().lastPathComponent)
    }

    /// One record per distinct prompt, in order of first appearance, whose reference is the
    /// prompt's highest-level reflection (the first one among equals; none if only level 0).
    public static func promptSet(from examples: [PAIRExample], name: String) -> PromptSet {
        var records: [PromptRecord] = []
        var best: [String: (index: Int, level: PAIRExample.Level)] = [:]
        for example in examples {
            let isReflection = example.level > .nonReflection
            if let seen = best[example.prompt] {
                guard isReflection, example.level > seen.level else { continue }
                records[seen.index].reflection = example.response
                best[example.prompt] = (seen.index, example.level)
            } else {
                best[example.prompt] = (records.count, example.level)
                records.append(PromptRecord(id: "\(name)-\(example.line)", client: example.prompt,
                                            reflection: isReflection ? example.response : nil))
            }
        }
        return PromptSet(name: name, records: records)
    }

    /// Converts the table's rows.
    private static func examples(in table: CSVTable) throws(CorpusError) -> [PAIRExample] {
        var examples: [PAIRExample] = []
        for row in table.rows {
            examples.append(PAIRExample(line: row.line, prompt: try row.nonEmpty("prompt"),
                                        response: try row.nonEmpty("response"),
                                        level: try row.integerCase("level", as: PAIRExample.Level.self)))
        }
        return examples
    }
}
