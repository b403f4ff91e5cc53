import Foundation

/// Imports the EPITOME empathy files (`sp_id,rp_id,seeker_post,response_post,level,rationales`).
public enum EpitomeImporter {
    /// The columns the header must contain.
    public static let columns = ["sp_id", "rp_id", "seeker_post", "response_post", "level", "rationales"]

    /// A response's key across the three files.
    private struct Key: Hashable {
        let seekerPostID: String
        let responsePostID: String

        init(_ record: EpitomeRecord) {
            seekerPostID = record.seekerPostID
            responsePostID = record.responsePostID
        }
    }

    // MARK: - One file

    /// Reads one mechanism's file; the mechanism comes from the file name unless given.
    public static func records(from url: URL, mechanism: EpitomeRecord.Mechanism? = nil) throws(CorpusError) -> [EpitomeRecord] {
        try records(parsing: TextFile.read(url), file: url.lastPathComponent, mechanism: mechanism)
    }

    /// Parses one mechanism's CSV `text`; any malformed row fails the whole import.
    public static func records(parsing text: String, file: String,
                               mechanism: EpitomeRecord.Mechanism? = nil) throws(CorpusError) -> [EpitomeRecord] {
        guard let mechanism = mechanism ?? EpitomeRecord.Mechanism(fileName: file) else {
            let names = EpitomeRecord.Mechanism.allCases.map(\.rawValue).joined(separator: ", ")
            throw CorpusError(file: file, expected: "a file name containing a mechanism (\(names)) or an explicit mechanism",
                              got: CorpusError.quoted(file))
        }
        let table = try CSVTable(text: text, file: file, requiring: columns)
        var records: [EpitomeRecord] = []
        for row in table.rows {
            records.append(EpitomeRecord(
                mechanism: mechanism, seekerPostID: try row.nonEmpty("sp_id"), responsePostID: try row.nonEmpty("rp_id"),
                seekerPost: try row.nonEmpty("seeker_post"), response: try row.nonEmpty("response_post"),
                level: try row.integerCase("level", as: EpitomeRecord.Level.self), rationales: row["rationales"],
                file: file, line: row.line))
        }
        return records
    }

    /// The distinct seeker posts of `records` (by `sp_id`, first seen) as a prompt set without references.
    public static func promptSet(from records: [EpitomeRecord], name: String) -> PromptSet {
        var seen: Set<String> = []
        let posts = records.filter { seen.insert($0.seekerPostID).inserted }
        return PromptSet(name: name, records: posts.map { PromptRecord(id: "epitome-\($0.seekerPostID)", client: $0.seekerPost) })
    }

    /// Reads one mechanism's file as a prompt set of seeker posts.
    public static func promptSet(from url: URL) throws(CorpusError) -> PromptSet {
        promptSet(from: try records(from: url), name: url.deletingPathExtension().lastPathComponent)
    }

    // MARK: - The three files joined

    /// Reads the three released files from `directory` and joins them.
    public static func responses(inDirectory directory: URL) throws(CorpusError) -> [EpitomeResponse] {
        func read(_ mechanism: EpitomeRecord.Mechanism) throws(CorpusError) -> [EpitomeRecord] {
            try records(from: directory.appendingPathComponent(mechanism.fileName), mechanism: mechanism)
        }
        return try join(emotionalReactions: read(.emotionalReactions), interpretations: read(.interpretations),
                        explorations: read(.explorations))
    }

    /// Joins the three files by (`sp_id`, `rp_id`), in the emotional-reactions file's order.
    ///
    /// A key may occur more than once (the released files repeat some responses);
    /// its n-th occurrence in one file is joined with its n-th occurrence in the others.
    /// Every record must find its partners: a response rated in one file but not in
    /// another fails the join.
    public static func join(emotionalReactions: [EpitomeRecord], interpretations: [EpitomeRecord],
                            explorations: [EpitomeRecord]) throws(CorpusError) -> [EpitomeResponse] {
        let others = [interpretations, explorations]
        let files = [(emotionalReactions, EpitomeRecord.Mechanism.emotionalReactions),
                     (interpretations, .interpretations), (explorations, .explorations)]
            .map { records, mechanism in records.first?.file ?? mechanism.fileName }
        let lookups = others.map { Dictionary(grouping: $0, by: Key.init) }
        var used: [Key: Int] = [:]
        var responses: [EpitomeResponse] = []
        for record in emotionalReactions {
            let key = Key(record)
            let occurrence = used[key, default: 0]
            used[key] = occurrence + 1
            var partners: [EpitomeRecord] = []
            for (index, lookup) in lookups.enumerated() {
                guard let matches = lookup[key], occurrence < matches.count else {
                    throw CorpusError(file: files[index + 1], field: "rp_id",
                                      expected: "a rating of response \(CorpusError.quoted(record.responsePostID)) to seeker post \(CorpusError.quoted(record.seekerPostID)), as in \(record.file):\(record.line)",
                                      got: "none")
                }
                partners.append(matches[occurrence])
            }
            responses.append(EpitomeResponse(
                seekerPostID: record.seekerPostID, responsePostID: record.responsePostID, seekerPost: record.seekerPost,
                response: record.response, emotionalReactions: record.level, interpretations: partners[0].level,
                explorations: partners[1].level))
        }
        for records in others {
            var seen: [Key: Int] = [:]
            for record in records {
                let key = Key(record)
                seen[key, default: 0] += 1
                guard seen[key]! <= used[key, default: 0] else {
                    throw CorpusError(file: record.file, line: record.line, field: "rp_id",
                                      expected: "a response also rated in \(files[0])", got: CorpusError.quoted(record.responsePostID))
                }
            }
        }
        return responses
    }
}
