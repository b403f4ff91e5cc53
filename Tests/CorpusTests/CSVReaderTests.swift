import Testing
@testable import Corpus

/// The hand-written RFC 4180 reader: quoting, line breaks, and the lines it reports.
struct CSVReaderTests {
    @Test func plainRecordsCarryTheirLines() throws {
        let records = try CSVReader.records(in: "a,b,c\n1,2,3\n", file: "t.csv")
        #expect(records == [.init(line: 1, fields: ["a", "b", "c"]), .init(line: 2, fields: ["1", "2", "3"])])
    }

    @Test(arguments: [
        ("\"one, two\",x\n", ["one, two", "x"]),
        ("\"she said \"\"no\"\"\",x\n", ["she said \"no\"", "x"]),
        ("\"\",x\n", ["", "x"]),
        (",\n", ["", ""]),
        ("a,b", ["a", "b"]),
        ("5\" tall,x\n", ["5\" tall", "x"]),
        ("caf\u{E9},\u{1F642}\n", ["caf\u{E9}", "\u{1F642}"]),
    ])
    func quotingAndUnquotedFields(text: String, fields: [String]) throws {
        #expect(try CSVReader.records(in: text, file: "t.csv").map(\.fields) == [fields])
    }

    @Test func quotedLineBreaksShiftTheNextRecordsLine() throws {
        let text = "h1,h2\n\"first\nsecond\nthird\",x\nnext,y\n"
        let records = try CSVReader.records(in: text, file: "t.csv")
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields == ["first\nsecond\nthird", "x"])
    }

    @Test func crlfEndsRecordsButStaysInsideQuotes() throws {
        let records = try CSVReader.records(in: "a,b\r\n\"x\r\ny\",z\r\nlast,row\r\n", file: "t.csv")
        #expect(records.map(\.fields) == [["a", "b"], ["x\r\ny", "z"], ["last", "row"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func blankLinesBetweenRecordsAreSkippedButCounted() throws {
        let records = try CSVReader.records(in: "a,b\n\n\r\nc,d\n\n", file: "t.csv")
        #expect(records == [.init(line: 1, fields: ["a", "b"]), .init(line: 4, fields: ["c", "d"])])
    }

    @Test func byteOrderMarkIsDroppedBeforeParsing() throws {
        let url = try Fixture.file("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("prompt,response,level\nhi,there,1\n".utf8))
        let table = try CSVTable.read(url, requiring: ["prompt"])
        #expect(table.header == ["prompt", "response", "level"])
    }

    @Test func emptyTextHasNoRecords() throws {
        #expect(try CSVReader.records(in: "", file: "t.csv").isEmpty)
    }

    @Test func unterminatedQuoteNamesTheLineItOpenedOn() {
        let message = Fixture.failure { try CSVReader.records(in: "a,b\nx,\"never\nclosed\n", file: "t.csv") }
        #expect(message == "t.csv:2: field \"column 2\": expected a closing quote for the field opened on this line, got the end of the file")
    }

    @Test func unterminatedQuoteUsesTheHeaderNameInATable() {
        let message = Fixture.failure { try CSVTable(text: "a,b\nx,\"open\n", file: "t.csv", requiring: []) }
        #expect(message == "t.csv:2: field \"b\": expected a closing quote for the field opened on this line, got the end of the file")
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        let message = Fixture.failure { try CSVReader.records(in: "\"closed\"x,y\n", file: "t.csv") }
        #expect(message == "t.csv:1: field \"column 1\": expected a comma or line end after the closing quote, got \"x\"")
    }

    @Test(arguments: [
        ("a,b,c\n1,2\n", ["a"], "t.csv:2: field \"c\": expected a value (the header has 3 columns), got a row of 2 fields"),
        ("a,b\n1,2,3\n", ["a"], "t.csv:2: field \"column 3\": expected no more than the header's 2 fields, got a row of 3 fields"),
        ("a,b\n", ["a"], "t.csv:1: expected at least one row after the header, got none"),
        ("", ["a"], "t.csv: expected a header line, got an empty file"),
        ("a,b\n1,2\n", ["a", "c"], "t.csv:1: field \"c\": expected a column of that name in the header, got columns a, b"),
    ])
    func tableShapeErrors(text: String, required: [String], message: String) {
        #expect(Fixture.failure { try CSVTable(text: text, file: "t.csv", requiring: required) } == message)
    }
}
