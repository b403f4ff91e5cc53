/// The file formats the importers read.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// The project's JSONL schema (`data/prompts/*.jsonl`).
    case prompts
    /// PAIR-style CSV: `prompt,response,level`.
    case pair
    /// AnnoMI CSV, simple or full.
    case annomi
    /// One EPITOME mechanism CSV.
    case epitome
    /// Psych8k-style JSON array of `input`/`output` objects.
    case psych8k
    /// Plain text, one statement per line.
    case text

    /// The format called `name` (case-insensitive), or an error listing the known names.
    public init(named name: String) throws(CorpusError) {
        guard let format = Self(rawValue: name.lowercased()) else {
            throw CorpusError(file: nil, field: "format",
                              expected: "one of " + Self.allCases.map(\.rawValue).joined(separator: ", "),
                              got: CorpusError.quoted(name))
        }
        self = format
    }
}
