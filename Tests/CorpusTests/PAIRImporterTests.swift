import Testing
@testable import Corpus

/// PAIR-style CSV: typed examples, the derived prompt set, and every kind of malformed file.
struct PAIRImporterTests {
    static let wellFormed = """
        prompt,response,level
        "I keep putting off the dentist, even though my tooth hurts.",Have you booked a time yet?,0
        "I keep putting off the dentist, even though my tooth hurts.",The pain is there but the appointment feels harder.,2
        "I keep putting off the dentist, even though my tooth hurts.",You have been delaying the dentist.,1
        My brother never calls me back.,"You feel left out by your brother, and it stings.",1
        I'm fine with how things are.,Why not change something?,0

        """

    @Test func readsTypedExamplesWithTheirLines() throws {
        let url = try Fixture.file("pair.csv", Self.wellFormed)
        let examples = try PAIRImporter.examples(from: url)
        #expect(examples.count == 5)
        #expect(examples.map(\.line) == [2, 3, 4, 5, 6])
        #expect(examples.map(\.level) == [.nonReflection, .complexReflection, .simpleReflection, .simpleReflection, .nonReflection])
        #expect(examples[3].response == "You feel left out by your brother, and it stings.")
    }

    @Test func promptSetKeepsEachPromptOnceWithItsHighestReflection() throws {
        let set = try PAIRImporter.promptSet(from: Fixture.file("pair.csv", Self.wellFormed))
        #expect(set.name == "pair")
        #expect(set.records.map(\.id) == ["pair-2", "pair-5", "pair-6"])
        #expect(set.records[0].reflection == "The pain is there but the appointment feels harder.")
        #expect(set.records[1].reflection == "You feel left out by your brother, and it stings.")
        #expect(set.records[2].reflection == nil)
    }

    @Test(arguments: [
        ("prompt,response\nhi,there\n", "bad.csv:1: field \"level\": expected a column of that name in the header, got columns prompt, response"),
        ("prompt,response,level\nhi,there,1\nhello,you,high\n", "bad.csv:3: field \"level\": expected an integer 0, 1 or 2, got \"high\""),
        ("prompt,response,level\nhi,there,3\n", "bad.csv:2: field \"level\": expected an integer 0, 1 or 2, got \"3\""),
        ("prompt,response,level\nhi,there,1\n\"still open,you,1\n", "bad.csv:3: field \"prompt\": expected a closing quote for the field opened on this line, got the end of the file"),
        ("prompt,response,level\nhi,,1\n", "bad.csv:2: field \"response\": expected a non-empty text, got \"\""),
        ("prompt,response,level\nhi,there\n", "bad.csv:2: field \"level\": expected a value (the header has 3 columns), got a row of 2 fields"),
        ("", "bad.csv: expected a header line, got an empty file"),
    ])
    func malformedFilesFailWithFileLineAndField(text: String, message: String) throws {
        let url = try Fixture.file("bad.csv", text)
        #expect(Fixture.failure { try PAIRImporter.examples(from: url) } == message)
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let bytes = Array("prompt,response,level\nhi,there,1\n".utf8) + [0x6F, 0xFF, 0x2C] + Array("x,1\n".utf8)
        let url = try Fixture.file("bad.csv", bytes: bytes)
        #expect(Fixture.failure { try PAIRImporter.examples(from: url) } == "bad.csv:3: expected UTF-8 text, got byte 0xFF")
    }
}
