import Foundation

/// Imports AnnoMI transcripts (`AnnoMI-simple.csv` or `AnnoMI-full.csv`) as client → therapist pairs.
///
/// A pair is a client utterance immediately followed, in `utterance_id` order, by a
/// therapist utterance of the same transcript. The full file has one row per annotator
/// of an utterance: there the behaviour is the most frequent label (ties go to the
/// label seen first in the file, which reproduces the simple file) and the reflection
/// subtype is the most frequent of the subtypes given, nil when none was given or on a tie.
public enum AnnoMIImporter {
    /// How many utterances, ending with the client turn, a pair keeps as context.
    public static let contextLength = 4
    /// The columns both files share and the importer needs.
    public static let columns = [
        "transcript_id", "mi_quality", "topic", "utterance_id", "interlocutor", "utterance_text", "main_therapist_behaviour",
    ]
    /// The column that marks the full (per-annotator) file.
    public static let annotatorColumn = "annotator_id"
    /// The full file's column of reflection subtypes.
    public static let subtypeColumn = "reflection_subtype"

    /// One utterance, gathered from its row or from one row per annotator.
    private struct Utterance {
        let line: Int
        let transcriptID: Int
        let id: Int
        let topic: String
        let quality: String
        let speaker: AnnoMIPair.Speaker
        let text: String
        var behaviourVotes: [AnnoMIPair.Behaviour] = []
        var subtypeVotes: [AnnoMIPair.ReflectionSubtype] = []
    }

    /// Reads the pairs of the file at `url`; any malformed row fails the whole import.
    public static func pairs(from url: URL) throws(CorpusError) -> [AnnoMIPair] {
        try pairs(in: CSVTable.read(url, requiring: columns))
    }

    /// Parses the pairs of CSV `text`; any malformed row fails the whole import.
    public static func pairs(parsing text: String, file: String) throws(CorpusError) -> [AnnoMIPair] {
        try pairs(in: CSVTable(text: text, file: file, requiring: columns))
    }

    /// Reads the file at `url` as a prompt set of client statements (see `promptSet(from:name:)`).
    public static func promptSet(from url: URL) throws(CorpusError) -> PromptSet {
        promptSet(from: try pairs(from: url), name: url.deletingPathExtension().lastPathComponent)
    }

    /// The client statements of `pairs`, with id `annomi-<transcript>-<utterance>`, the transcript's
    /// topic, and the therapist's response as reference when it is a reflection.
    public static func promptSet(from pairs: [AnnoMIPair], name: String) -> PromptSet {
        PromptSet(name: name, records: pairs.map { pair in
            PromptRecord(id: "annomi-\(pair.transcriptID)-\(pair.clientUtteranceID)", topic: pair.topic,
                         client: pair.client, reflection: pair.behaviour == .reflection ? pair.response : nil)
        })
    }

    // MARK: - Rows to pairs

    /// Gathers the table's utterances and pairs them up per transcript.
    private static func pairs(in table: CSVTable) throws(CorpusError) -> [AnnoMIPair] {
        let isFull = table.header.contains(annotatorColumn)
        if isFull { try table.require([subtypeColumn]) }
        var utterances: [Utterance] = []
        var indexByKey: [[Int]: Int] = [:]
        for row in table.rows {
            let utterance = try utterance(of: row)
            let key = [utterance.transcriptID, utterance.id]
            guard let index = indexByKey[key] else {
                indexByKey[key] = utterances.count
                utterances.append(utterance)
                continue
            }
            let first = utterances[index]
            guard isFull else {
                throw row.error("utterance_id", expected: "an utterance id not used before in transcript \(first.transcriptID) (first on line \(first.line))",
                                got: CorpusError.quoted(row["utterance_id"]))
            }
            guard utterance.speaker == first.speaker, utterance.text == first.text else {
                throw row.error("utterance_text", expected: "the same speaker and text as line \(first.line), another annotator's row of this utterance",
                                got: CorpusError.quoted(row["utterance_text"]))
            }
            utterances[index].behaviourVotes += utterance.behaviourVotes
            utterances[index].subtypeVotes += utterance.subtypeVotes
        }
        let transcripts = Dictionary(grouping: utterances, by: \.transcriptID)
        return transcripts.keys.sorted().flatMap { id in
            pairs(inTranscript: transcripts[id]!.sorted { $0.id < $1.id })
        }
    }

    /// Reads one row as an utterance with this row's votes.
    private static func utterance(of row: CSVTable.Row) throws(CorpusError) -> Utterance {
        var utterance = Utterance(
            line: row.line, transcriptID: try row.integer("transcript_id"), id: try row.integer("utterance_id"),
            topic: row["topic"], quality: row["mi_quality"],
            speaker: try row.textCase("interlocutor", as: AnnoMIPair.Speaker.self), text: try row.nonEmpty("utterance_text"))
        guard utterance.speaker == .therapist else { return utterance }
        utterance.behaviourVotes = [try row.textCase("main_therapist_behaviour", as: AnnoMIPair.Behaviour.self)]
        let subtype = row[subtypeColumn].trimmingCharacters(in: .whitespaces)
        if !subtype.isEmpty, subtype != "n/a" {
            utterance.subtypeVotes = [try row.textCase(subtypeColumn, as: AnnoMIPair.ReflectionSubtype.self)]
        }
        return utterance
    }

    /// The pairs of one transcript whose utterances are in order.
    private static func pairs(inTranscript utterances: [Utterance]) -> [AnnoMIPair] {
        var pairs: [AnnoMIPair] = []
        for index in utterances.indices.dropLast() {
            let client = utterances[index], therapist = utterances[index + 1]
            guard client.speaker == .client, therapist.speaker == .therapist,
                  let behaviour = mostFrequent(therapist.behaviourVotes) else { continue }
            let context = utterances[max(0, index + 1 - contextLength)...index].map {
                AnnoMIPair.Turn(speaker: $0.speaker, text: $0.text)
            }
            let subtype = mostFrequent(therapist.subtypeVotes)
            pairs.append(AnnoMIPair(
                transcriptID: client.transcriptID, topic: client.topic, quality: client.quality,
                clientUtteranceID: client.id, client: client.text, context: context, response: therapist.text,
                behaviour: behaviour.value, subtype: subtype?.isUnique == true ? subtype?.value : nil))
        }
        return pairs
    }

    /// The vote with the most occurrences (the first seen among equals), and whether no other vote ties it.
    private static func mostFrequent<T: Hashable>(_ votes: [T]) -> (value: T, isUnique: Bool)? {
        var counts: [T: Int] = [:]
        for vote in votes { counts[vote, default: 0] += 1 }
        guard let top = counts.values.max() else { return nil }
        let leaders = votes.filter { counts[$0] == top }
        return (leaders[0], Set(leaders).count == 1)
    }
}
