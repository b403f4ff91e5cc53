import Foundation

/// Imports Psych8k-style JSON: an array of objects with `input` (client) and `output` (counselor), optionally `instruction`.
public enum Psych8kImporter {
    /// Reads the JSON file at `url` into a prompt set named after the file.
    public static func promptSet(from url: URL) throws(CorpusError) -> PromptSet {
        try promptSet(parsing: TextFile.read(url), name: url.deletingPathExtension().lastPathComponent,
                      file: url.lastPathComponent)
    }

    /// Parses JSON `text`; each item's id is `<name>-<line where the item starts>`.
    public static func promptSet(parsing text: String, name: String, file: String) throws(CorpusError) -> PromptSet {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw CorpusError(file: file, expected: "a JSON array of objects", got: "an empty file")
        }
        let value = try JSONValue.parse(text, file: file, line: nil)
        guard case .array(let items) = value else {
            throw CorpusError(file: file, line: 1, expected: "a JSON array of objects", got: value.summary)
        }
        let lines = itemLines(in: text)
        var records: [PromptRecord] = []
        for (index, item) in items.enumerated() {
            let line = lines.count == items.count ? lines[index] : nil
            let object = try JSONRecord(item, file: file, line: line,
                                        expected: "an object with \"input\" and \"output\"")
            _ = try object.optionalText("instruction")
            records.append(PromptRecord(id: "\(name)-\(line ?? index + 1)", client: try object.text("input"),
                                        reflection: try object.text("output")))
        }
        guard !records.isEmpty else {
            throw CorpusError(file: file, line: 1, expected: "at least one item in the array", got: "an empty array")
        }
        return PromptSet(name: name, records: records)
    }

    /// The line on which each item of a top-level JSON array starts.
    ///
    /// Foundation's decoder does not report positions, so this scans the text once,
    /// tracking strings and nesting depth, to let errors name an item's line.
    private static func itemLines(in text: String) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, awaitingItem = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            let isBlank = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            if depth == 1, awaitingItem, !isBlank, byte != UInt8(ascii: "]") {
                lines.append(line)
                awaitingItem = false
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { awaitingItem = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { awaitingItem = true }
            default: break
            }
        }
        return lines
    }
}
