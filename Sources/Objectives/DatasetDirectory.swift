import Foundation

/// Finds the labelled datasets (AnnoMI, EPITOME) that `emorl scorers train` learns from.
///
/// The folder is the `--datasets` flag when given, else `$EMORL_DATASETS`, else `../shared/datasets`
/// relative to the current directory. The data are research data read in place, never copied into the repository.
public struct DatasetDirectory: Sendable {
    /// The environment variable that names the folder.
    public static let environmentKey = "EMORL_DATASETS"
    /// The default, relative to the current directory.
    public static let defaultRelativePath = "../shared/datasets"

    /// The folder holding `annomi/` and `epitome/`.
    public let root: URL

    /// The folder from a flag, the environment, or the default; the folder is checked when a dataset is asked for.
    public init(flag: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        let path = flag ?? environment[Self.environmentKey].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultRelativePath
        root = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory.path, isDirectory: true)).standardizedFileURL
    }

    /// AnnoMI's per-annotator file (it carries the reflection subtypes).
    public func annoMI() throws -> URL {
        try require("annomi/AnnoMI-full.csv")
    }

    /// The folder with EPITOME's three mechanism files.
    public func epitome() throws -> URL {
        for name in ["emotional-reactions", "interpretations", "explorations"] { _ = try require("epitome/\(name)-reddit.csv") }
        return root.appendingPathComponent("epitome", isDirectory: true)
    }

    /// `root/relative` if it exists, else an error saying where it looked and how to point elsewhere.
    private func require(_ relative: String) throws -> URL {
        let url = root.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ScorerError.missingDataset(path: url.path, reason: FileManager.default.fileExists(atPath: root.path)
                ? "the datasets folder has no \(relative)"
                : "no datasets folder there (give one with --datasets DIR or \(Self.environmentKey))")
        }
        return url
    }
}
