import Foundation

/// Reads btop-style theme files: `theme[key]="#rrggbb"` lines, `#` comments, blank lines.
public enum ThemeFile {
    /// A theme file line that could not be read.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String

        public var description: String { "\(file):\(line): \(reason)" }
    }

    /// The outcome of loading a theme: the theme to use and, when the file was bad, why the default is used.
    public struct Loaded: Sendable {
        public var theme: Theme
        public var warning: String?
    }

    // MARK: - Parsing

    /// Parses theme text; keys it does not set fall back to the default theme, unknown keys are ignored.
    public static func parse(_ text: String, name: String, file: String) throws(ParseError) -> Theme {
        var colors: [ThemeKey: RGB] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fail = { (reason: String) in ParseError(file: file, line: offset + 1, reason: reason) }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                throw fail("expected theme[key]=\"#rrggbb\", found \(line)")
            }
            let key = line[line.index(line.startIndex, offsetBy: 6)..<close]
            var value = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("=") else { throw fail("expected = after theme[\(key)]") }
            value = value.dropFirst().trimmingCharacters(in: .whitespaces)
            guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
                throw fail("the value of \(key) must be in double quotes")
            }
            let hex = String(value.dropFirst().dropLast())
            if hex.isEmpty { continue }
            guard let color = RGB(hex: hex) else { throw fail("\(hex) is not a #rrggbb colour") }
            if let themeKey = ThemeKey(rawValue: String(key)) { colors[themeKey] = color }
        }
        return Theme(name: name, colors: colors)
    }

    /// The text of a theme file holding every key of `theme`.
    public static func render(_ theme: Theme) -> String {
        ThemeKey.allCases.map { "theme[\($0.rawValue)]=\"\(theme[$0])\"\n" }.joined()
    }

    // MARK: - Loading

    /// Loads `path`; on any error the default theme comes back with a message naming the file (and line).
    public static func load(path: String) -> Loaded {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return Loaded(theme: .standard, warning: "cannot read theme file \(path); using the default theme")
        }
        do {
            return Loaded(theme: try parse(text, name: name, file: path), warning: nil)
        } catch {
            return Loaded(theme: .standard, warning: "bad theme file \(error); using the default theme")
        }
    }

    /// The theme names (`*.theme` without extension) in `directory`, `default` first, then sorted.
    public static func names(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let names = files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
        return names.sorted { ($0 == "default" ? 0 : 1, $0) < ($1 == "default" ? 0 : 1, $1) }
    }
}
