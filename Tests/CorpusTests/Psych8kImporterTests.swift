import Testing
@testable import Corpus

/// Psych8k-style JSON arrays: records, item lines in errors, and malformed files.
struct Psych8kImporterTests {
    static let wellFormed = """
        [
          {"instruction": "Respond as a counselor.", "input": "My shifts changed and I never see my kids.", "output": "Work has pushed you away from your children."},
          {
            "input": "I think I drink more than I admit.",
            "output": "Part of you already knows it has grown."
          }
        ]
        """

    @Test func readsInputsAndOutputsWithLineIds() throws {
        let set = try Psych8kImporter.promptSet(from: Fixture.file("psych.json", Self.wellFormed))
        #expect(set.records.map(\.id) == ["psych-2", "psych-3"])
        #expect(set.clients == ["My shifts changed and I never see my kids.", "I think I drink more than I admit."])
        #expect(set.records[1].reflection == "Part of you already knows it has grown.")
    }

    @Test(arguments: [
        ("{\"input\": \"a\", \"output\": \"b\"}", "bad.json:1: expected a JSON array of objects, got an object"),
        ("[\n  {\"input\": \"a\", \"output\": \"b\"},\n  \"just text\"\n]", "bad.json:3: expected an object with \"input\" and \"output\", got \"just text\""),
        ("[\n  {\"input\": \"a\", \"output\": \"b\"},\n  {\"input\": 3, \"output\": \"b\"}\n]", "bad.json:3: field \"input\": expected a non-empty string, got 3"),
        ("[\n  {\"input\": \"a\"}\n]", "bad.json:2: field \"output\": expected a string, got no such key"),
        ("[\n  {\"input\": \"a\", \"output\": \"b\", \"instruction\": [\"x\"]}\n]", "bad.json:2: field \"instruction\": expected a string or null, got an array"),
        ("[]", "bad.json:1: expected at least one item in the array, got an empty array"),
        ("", "bad.json: expected a JSON array of objects, got an empty file"),
    ])
    func malformedFilesFailWithFileLineAndField(text: String, message: String) throws {
        let url = try Fixture.file("bad.json", text)
        #expect(Fixture.failure { try Psych8kImporter.promptSet(from: url) } == message)
    }

    @Test func syntaxErrorsNameTheFile() throws {
        let url = try Fixture.file("bad.json", "[{\"input\": \"a\", \"output\": }]")
        let message = try #require(Fixture.failure { try Psych8kImporter.promptSet(from: url) })
        #expect(message.hasPrefix("bad.json: expected valid JSON, got "))
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let url = try Fixture.file("bad.json", bytes: Array("[\n{\"input\": \"".utf8) + [0xFE] + Array("\", \"output\": \"b\"}]".utf8))
        #expect(Fixture.failure { try Psych8kImporter.promptSet(from: url) } == "bad.json:2: expected UTF-8 text, got byte 0xFE")
    }
}
