import Foundation

/// Reads import files as UTF-8 text, dropping a byte-order mark and naming the line of any invalid byte.
enum TextFile {
    /// Reads the file at `url` and decodes it as UTF-8.
    static func read(_ url: URL) throws(CorpusError) -> String {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: url))
        } catch {
            throw CorpusError(file: url.lastPathComponent, expected: "a readable file", got: error.localizedDescription)
        }
        return try decode(bytes, file: url.lastPathComponent)
    }

    /// Decodes `bytes` as UTF-8 after dropping a leading byte-order mark.
    static func decode(_ bytes: [UInt8], file: String) throws(CorpusError) -> String {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if let text = String(bytes: body, encoding: .utf8) { return text }
        throw firstInvalidByte(in: body, file: file)
    }

    /// Splits `text` at LF and CRLF into lines numbered from 1, keeping empty lines.
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated().map { (number: $0.offset + 1, text: $0.element) }
    }

    /// Scans `bytes` scalar by scalar to describe where the UTF-8 decoding first fails.
    private static func firstInvalidByte(in bytes: ArraySlice<UInt8>, file: String) -> CorpusError {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var line = 1
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 0x0A { line += 1 }
                offset += encoded.count
            case .error:
                let hex = String(bytes[offset], radix: 16, uppercase: true)
                return CorpusError(file: file, line: line, expected: "UTF-8 text",
                                   got: "byte 0x\(hex.count == 1 ? "0" + hex : hex)")
            case .emptyInput:
                return CorpusError(file: file, expected: "UTF-8 text", got: "bytes Foundation could not decode")
            }
        }
    }
}
