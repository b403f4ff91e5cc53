import Testing
@testable import Corpus

/// EPITOME CSV: one mechanism file, the three-file join (with repeated keys), and malformed files.
struct EpitomeImporterTests {
    static let header = "sp_id,rp_id,seeker_post,response_post,level,rationales"

    /// Three responses; the second key repeats, as in the released files.
    static func file(_ levels: [Int], extraRow: String? = nil) -> String {
        let rows = [
            "s1,r1,\"Nobody at work talks to me, I eat lunch alone.\",That sounds really isolating.,\(levels[0]),sounds really isolating|",
            "s2,r2,I failed my driving test again.,What happened this time?,\(levels[1]),",
            "s2,r2,I failed my driving test again.,What happened this time?,\(levels[2]),",
        ]
        return ([header] + rows + [extraRow].compactMap { $0 }).joined(separator: "\r\n") + "\r\n"
    }

    @Test func readsOneMechanismNamedByTheFile() throws {
        let records = try EpitomeImporter.records(from: Fixture.file("interpretations-reddit.csv", Self.file([2, 0, 1])))
        #expect(records.map(\.mechanism) == [.interpretations, .interpretations, .interpretations])
        #expect(records.map(\.level) == [.strong, .none, .weak])
        #expect(records.map(\.line) == [2, 3, 4])
        #expect(records[0].seekerPost == "Nobody at work talks to me, I eat lunch alone.")
        #expect(records[0].rationales == "sounds really isolating|")
    }

    @Test func joinMatchesRepeatedKeysByOccurrence() throws {
        let directory = try Fixture.file(EpitomeRecord.Mechanism.emotionalReactions.fileName, Self.file([1, 0, 2]))
            .deletingLastPathComponent()
        try Self.file([0, 2, 2]).write(to: directory.appendingPathComponent("interpretations-reddit.csv"), atomically: true, encoding: .utf8)
        try Self.file([2, 1, 0]).write(to: directory.appendingPathComponent("explorations-reddit.csv"), atomically: true, encoding: .utf8)
        let responses = try EpitomeImporter.responses(inDirectory: directory)
        #expect(responses.count == 3)
        #expect(responses.map(\.emotionalReactions) == [.weak, .none, .strong])
        #expect(responses.map(\.interpretations) == [.none, .strong, .strong])
        #expect(responses.map { $0[.explorations] } == [.strong, .weak, .none])
        #expect(responses.map(\.totalLevel) == [3, 3, 4])
    }

    @Test func joinFailsWhenAResponseIsMissingFromAFile() throws {
        let emotional = try EpitomeImporter.records(parsing: Self.file([0, 0, 0]), file: "emotional-reactions-reddit.csv")
        let interpretations = try EpitomeImporter.records(parsing: Self.file([0, 0, 0]), file: "interpretations-reddit.csv")
        let explorations = Array(try EpitomeImporter.records(parsing: Self.file([0, 0, 0]), file: "explorations-reddit.csv").dropLast())
        let message = Fixture.failure {
            try EpitomeImporter.join(emotionalReactions: emotional, interpretations: interpretations, explorations: explorations)
        }
        #expect(message == "explorations-reddit.csv: field \"rp_id\": expected a rating of response \"r2\" to seeker post \"s2\", as in emotional-reactions-reddit.csv:4, got none")
    }

    @Test func joinFailsOnAResponseOnlyAnotherFileRates() throws {
        let emotional = try EpitomeImporter.records(parsing: Self.file([0, 0, 0]), file: "emotional-reactions-reddit.csv")
        let interpretations = try EpitomeImporter.records(parsing: Self.file([0, 0, 0], extraRow: "s9,r9,Hello.,Hi.,1,"),
                                                          file: "interpretations-reddit.csv")
        let message = Fixture.failure {
            try EpitomeImporter.join(emotionalReactions: emotional, interpretations: interpretations, explorations: emotional)
        }
        #expect(message == "interpretations-reddit.csv:5: field \"rp_id\": expected a response also rated in emotional-reactions-reddit.csv, got \"r9\"")
    }

    @Test func promptSetHoldsEachSeekerPostOnce() throws {
        let set = try EpitomeImporter.promptSet(from: Fixture.file("explorations-reddit.csv", Self.file([0, 1, 2])))
        #expect(set.records.map(\.id) == ["epitome-s1", "epitome-s2"])
        #expect(set.records.allSatisfy { $0.reflection == nil })
    }

    @Test(arguments: [
        ("sp_id,rp_id,seeker_post,response_post,rationales\ns,r,a,b,\n",
         "explorations-reddit.csv:1: field \"level\": expected a column of that name in the header, got columns sp_id, rp_id, seeker_post, response_post, rationales"),
        ("\(header)\ns,r,a,b,1,\ns,r2,a,b,strong,\n", "explorations-reddit.csv:3: field \"level\": expected an integer 0, 1 or 2, got \"strong\""),
        ("\(header)\ns,r,\"a,b,1,\n", "explorations-reddit.csv:2: field \"seeker_post\": expected a closing quote for the field opened on this line, got the end of the file"),
        ("\(header)\ns,,a,b,1,\n", "explorations-reddit.csv:2: field \"rp_id\": expected a non-empty text, got \"\""),
        ("", "explorations-reddit.csv: expected a header line, got an empty file"),
    ])
    func malformedFilesFailWithFileLineAndField(text: String, message: String) throws {
        let url = try Fixture.file("explorations-reddit.csv", text)
        #expect(Fixture.failure { try EpitomeImporter.records(from: url) } == message)
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let url = try Fixture.file("explorations-reddit.csv", bytes: Array("\(Self.header)\ns,r,".utf8) + [0x80] + Array(",b,1,\n".utf8))
        #expect(Fixture.failure { try EpitomeImporter.records(from: url) } == "explorations-reddit.csv:2: expected UTF-8 text, got byte 0x80")
    }

    @Test func aFileNameWithoutAMechanismNeedsOneGiven() throws {
        let url = try Fixture.file("ratings.csv", Self.file([0, 0, 0]))
        #expect(Fixture.failure { try EpitomeImporter.records(from: url) }
            == "ratings.csv: expected a file name containing a mechanism (emotional-reactions, interpretations, explorations) or an explicit mechanism, got \"ratings.csv\"")
        #expect(try EpitomeImporter.records(from: url, mechanism: .explorations).count == 3)
    }
}
