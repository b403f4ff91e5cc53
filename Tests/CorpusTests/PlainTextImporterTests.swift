import Testing
@testable import Corpus

/// Plain text prompts: one statement per line, comments and blanks skipped.
struct PlainTextImporterTests {
    @Test func skipsBlankAndCommentLines() throws {
        let text = "# demo statements\n\nI can't focus at school.\r\n   \n  My dad moved back in with us.  \n#done\n"
        let set = try PlainTextImporter.promptSet(from: Fixture.file("demo.txt", text))
        #expect(set.name == "demo")
        #expect(set.records.map(\.id) == ["demo-3", "demo-5"])
        #expect(set.clients == ["I can't focus at school.", "My dad moved back in with us."])
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n"])
    func noStatementsIsAnError(text: String) throws {
        let url = try Fixture.file("empty.txt", text)
        #expect(Fixture.failure { try PlainTextImporter.promptSet(from: url) }
            == "empty.txt: expected at least one statement, got only blank or comment lines")
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let url = try Fixture.file("bad.txt", bytes: Array("fine\nalso fine\nnot ".utf8) + [0xED, 0xA0, 0x80] + [0x0A])
        #expect(Fixture.failure { try PlainTextImporter.promptSet(from: url) } == "bad.txt:3: expected UTF-8 text, got byte 0xED")
    }
}
