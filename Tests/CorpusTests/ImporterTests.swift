import Testing
@testable import Corpus

/// Format detection by name, extension and CSV header.
struct ImporterTests {
    @Test(arguments: [
        ("a.jsonl", "{\"id\": \"1\", \"client\": \"I'm tired.\"}\n", ImportFormat.prompts),
        ("a.json", "[{\"input\": \"I'm tired.\", \"output\": \"You're worn down.\"}]", .psych8k),
        ("a.txt", "I'm tired.\n", .text),
        ("a.csv", "prompt,response,level\nI'm tired.,You're worn down.,1\n", .pair),
        ("a.csv", "transcript_id,mi_quality,topic,utterance_id,interlocutor,utterance_text,main_therapist_behaviour\n1,high,t,0,client,I'm tired.,n/a\n1,high,t,1,therapist,You're worn down.,reflection\n", .annomi),
        ("emotional-reactions-reddit.csv", "sp_id,rp_id,seeker_post,response_post,level,rationales\ns,r,I'm tired.,Rest up.,0,\n", .epitome),
    ])
    func detectsAndImports(name: String, text: String, format: ImportFormat) throws {
        let url = try Fixture.file(name, text)
        #expect(try Importer.detectFormat(of: url) == format)
        let set = try Importer.promptSet(from: url)
        #expect(set.clients == ["I'm tired."])
    }

    @Test func explicitFormatOverridesTheExtension() throws {
        let url = try Fixture.file("notes.md", "I'm tired.\n")
        #expect(try Importer.promptSet(from: url, format: ImportFormat(named: "TEXT")).count == 1)
    }

    @Test func unknownExtensionIsAnError() throws {
        let url = try Fixture.file("notes.md", "I'm tired.\n")
        #expect(Fixture.failure { try Importer.promptSet(from: url) }
            == "notes.md: expected a name ending in .jsonl, .json, .txt or .csv, or an explicit format (prompts, pair, annomi, epitome, psych8k, text), got \"notes.md\"")
    }

    @Test func unknownFormatNameIsAnError() {
        #expect(Fixture.failure { try ImportFormat(named: "xml") }
            == "field \"format\": expected one of prompts, pair, annomi, epitome, psych8k, text, got \"xml\"")
    }

    @Test func unknownCSVHeaderIsAnError() throws {
        let url = try Fixture.file("x.csv", "question,answer\nhi,there\n")
        #expect(Fixture.failure { try Importer.promptSet(from: url) }
            == "x.csv:1: expected a header of PAIR (prompt, response, level), AnnoMI (transcript_id, utterance_id, interlocutor, …) or EPITOME (sp_id, rp_id, …), got \"question,answer\"")
    }

    @Test func missingFileIsAnError() {
        let message = Fixture.failure { try Importer.promptSet(from: Fixture.packageRoot.appendingPathComponent("no-such-file.txt")) }
        #expect(message?.hasPrefix("no-such-file.txt: expected a readable file, got ") == true)
    }
}
