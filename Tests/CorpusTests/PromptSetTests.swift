import Foundation
import Testing
@testable import Corpus

/// The project's JSONL prompt schema and the data directory search.
struct PromptSetTests {
    static let wellFormed = """
        {"id": "a-1", "topic": "sleep", "client": "I wake at four and can't drop off again.", "reflection": "Those early hours leave you worn out."}

        {"id": "a-2", "client": "My sister borrowed money again.", "reflection": null}
        """

    @Test func parsesRecordsAndSkipsBlankLines() throws {
        let set = try PromptSet.read(Fixture.file("a.jsonl", Self.wellFormed))
        #expect(set.name == "a")
        #expect(set.records == [
            PromptRecord(id: "a-1", topic: "sleep", client: "I wake at four and can't drop off again.",
                         reflection: "Those early hours leave you worn out."),
            PromptRecord(id: "a-2", client: "My sister borrowed money again."),
        ])
    }

    @Test(arguments: [
        ("{\"id\": \"x\", \"client\": \"hi\"}\n[1, 2]\n", "p.jsonl:2: expected a JSON object with \"id\" and \"client\", got an array"),
        ("{\"id\": \"x\", \"client\": 7}\n", "p.jsonl:1: field \"client\": expected a non-empty string, got 7"),
        ("{\"id\": \"x\"}\n", "p.jsonl:1: field \"client\": expected a string, got no such key"),
        ("{\"id\": \"x\", \"client\": \"hi\", \"topic\": false}\n", "p.jsonl:1: field \"topic\": expected a string or null, got false"),
        ("{\"id\": \"x\", \"client\": \"hi\"}\n\n{\"id\": \"x\", \"client\": \"again\"}\n", "p.jsonl:3: field \"id\": expected an id not used before (this one is on line 1), got \"x\""),
        ("\n \n", "p.jsonl: expected at least one JSON object, got an empty file"),
    ])
    func malformedFilesFailWithFileLineAndField(text: String, message: String) throws {
        let url = try Fixture.file("p.jsonl", text)
        #expect(Fixture.failure { try PromptSet.read(url) } == message)
    }

    @Test func syntaxErrorNamesTheLine() throws {
        let url = try Fixture.file("p.jsonl", "{\"id\": \"x\", \"client\": \"hi\"}\r\n{\"id\": \"y\", \"client\": \"hi\"\r\n")
        let message = try #require(Fixture.failure { try PromptSet.read(url) })
        #expect(message.hasPrefix("p.jsonl:2: expected valid JSON, got "))
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let url = try Fixture.file("p.jsonl", bytes: Array("{\"id\": \"x\", \"client\": \"hi\"}\n{\"id\": \"".utf8) + [0xFF, 0x22, 0x7D])
        #expect(Fixture.failure { try PromptSet.read(url) } == "p.jsonl:2: expected UTF-8 text, got byte 0xFF")
    }

    // MARK: - Data directory

    @Test func environmentOverridesTheSearch() {
        let url = DataDirectory.locate(environment: ["EMORL_DATA": "/somewhere/data"], executable: nil,
                                       currentDirectory: URL(fileURLWithPath: "/tmp"))
        #expect(url.path == "/somewhere/data")
    }

    @Test func executableAncestorWithPromptsIsFound() {
        let executable = Fixture.packageRoot.appendingPathComponent(".build/debug/emorl")
        let url = DataDirectory.locate(environment: [:], executable: executable, currentDirectory: URL(fileURLWithPath: "/tmp"))
        #expect(url.standardizedFileURL.path == Fixture.packageRoot.appendingPathComponent("data").standardizedFileURL.path)
    }

    @Test func currentDirectoryIsTheFallback() {
        let url = DataDirectory.locate(environment: [:], executable: URL(fileURLWithPath: "/nonexistent/bin/emorl"),
                                       currentDirectory: URL(fileURLWithPath: "/tmp/project"))
        #expect(url.path == "/tmp/project/data")
    }
}
