import Foundation

/// The theme files of a `themes/` folder, the one in use, and cycling through them.
public struct ThemeCatalog: Sendable {
    /// The folder searched, `themes/` beside the data directory.
    public let directory: URL
    /// The theme names found, `default` first.
    public let names: [String]
    /// The theme in use.
    public private(set) var theme: Theme
    private var index: Int

    /// The `themes/` folder next to `data` (the repository root's), with `default` in use.
    public init(dataDirectory: URL) {
        directory = dataDirectory.deletingLastPathComponent().appendingPathComponent("themes", isDirectory: true)
        let found = ThemeFile.names(in: directory.path)
        names = found.contains("default") ? found : ["default"] + found
        theme = .standard
        index = 0
    }

    /// Switches to `name` (a theme of the folder) or to a `.theme` file path; a warning when it cannot be used.
    public mutating func select(_ name: String) -> String? {
        if let found = names.firstIndex(of: name) { return load(found) }
        if name.hasSuffix(".theme") || name.contains("/") {
            let loaded = ThemeFile.load(path: name)
            theme = loaded.theme
            return loaded.warning
        }
        return "no theme \(name) in \(directory.path) (have: \(names.joined(separator: ", "))); using the default theme"
    }

    /// Switches to the next theme of the folder, wrapping; a warning when its file is bad.
    public mutating func next() -> String? {
        load((index + 1) % names.count)
    }

    private mutating func load(_ newIndex: Int) -> String? {
        index = newIndex
        let path = directory.appendingPathComponent(names[newIndex] + ".theme").path
        guard FileManager.default.fileExists(atPath: path) else {
            theme = .standard
            return nil
        }
        let loaded = ThemeFile.load(path: path)
        theme = loaded.theme
        return loaded.warning
    }
}
