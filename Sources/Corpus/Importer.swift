import Foundation

/// Reads any supported file as a prompt set, picking the format by name, extension or CSV header.
public enum Importer {
    /// Reads `url` in `format`, or in the format `detectFormat` finds when none is given.
    public static func promptSet(from url: URL, format: ImportFormat? = nil) throws(CorpusError) -> PromptSet {
        let text = try TextFile.read(url)
        let file = url.lastPathComponent
        let name = url.deletingPathExtension().lastPathComponent
        let chosen: ImportFormat
        if let format { chosen = format } else { chosen = try detectFormat(fileName: file, text: text) }
        switch chosen {
        case .prompts:
            return try PromptSet.parse(text, name: name, file: file)
        case .pair:
            return PAIRImporter.promptSet(from: try PAIRImporter.examples(parsing: text, file: file), name: name)
        case .annomi:
            return AnnoMIImporter.promptSet(from: try AnnoMIImporter.pairs(parsing: text, file: file), name: name)
        case .epitome:
            return EpitomeImporter.promptSet(from: try EpitomeImporter.records(parsing: text, file: file), name: name)
        case .psych8k:
            return try Psych8kImporter.promptSet(parsing: text, name: name, file: file)
        case .text:
            return try PlainTextImporter.promptSet(parsing: text, name: name, file: file)
        }
    }

    /// The format of the file at `url`.
    public static func detectFormat(of url: URL) throws(CorpusError) -> ImportFormat {
        try detectFormat(fileName: url.lastPathComponent, text: TextFile.read(url))
    }

    /// The format by extension: `.jsonl` prompts, `.json` Psych8k, `.txt` text, `.csv` by the header's columns.
    public static func detectFormat(fileName: String, text: String) throws(CorpusError) -> ImportFormat {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "jsonl": return .prompts
        case "json": return .psych8k
        case "txt": return .text
        case "csv": return try detectCSVFormat(fileName: fileName, text: text)
        default:
            throw CorpusError(file: fileName, expected: "a name ending in .jsonl, .json, .txt or .csv, or an explicit format (\(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                              got: CorpusError.quoted(fileName))
        }
    }

    /// The CSV format whose characteristic columns the header holds.
    private static func detectCSVFormat(fileName: String, text: String) throws(CorpusError) -> ImportFormat {
        var reader = CSVReader(text: text, file: fileName)
        guard let header = try reader.next() else {
            throw CorpusError(file: fileName, expected: "a header line", got: "an empty file")
        }
        let columns = Set(header.fields.map { $0.trimmingCharacters(in: .whitespaces) })
        let signatures: [(ImportFormat, [String])] = [
            (.pair, PAIRImporter.columns),
            (.annomi, ["transcript_id", "utterance_id", "interlocutor"]),
            (.epitome, ["sp_id", "rp_id"]),
        ]
        guard let match = signatures.first(where: { columns.isSuperset(of: $0.1) }) else {
            throw CorpusError(file: fileName, line: header.line,
                              expected: "a header of PAIR (prompt, response, level), AnnoMI (transcript_id, utterance_id, interlocutor, …) or EPITOME (sp_id, rp_id, …)",
                              got: CorpusError.quoted(header.fields.joined(separator: ",")))
        }
        return match.0
    }
}
