import Foundation

/// Imports plain text with one client statement per line; blank lines and `#` comments are skipped.
public enum PlainTextImporter {
    /// Reads the text file at `url` into a prompt set named after the file.
    public static func promptSet(from url: URL) throws(CorpusError) -> PromptSet {
        try promptSet(parsing: TextFile.read(url), name: url.deletingPathExtension().lastPathComponent,
                      file: url.lastPathComponent)
    }

    /// Parses `text`; each statement's id is `<name>-<line>`.
    public static func promptSet(parsing text: String, name: String, file: String) throws(CorpusError) -> PromptSet {
        var records: [PromptRecord] = []
        for (line, content) in TextFile.numberedLines(text) {
            let statement = content.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !statement.isEmpty, !statement.hasPrefix("#") else { continue }
            records.append(PromptRecord(id: "\(name)-\(line)", client: statement))
        }
        guard !records.isEmpty else {
            throw CorpusError(file: file, expected: "at least one statement", got: "only blank or comment lines")
        }
        return PromptSet(name: name, records: records)
    }
}
