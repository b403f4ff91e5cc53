import Foundation
import Corpus

/// Writes test inputs to fresh temporary files and locates the package and the shared datasets.
enum Fixture {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where the third-party datasets may be: `../shared/datasets` beside the package root,
    /// then the same beside each further ancestor (a git worktree may sit one level deeper).
    static let datasetCandidates: [URL] = {
        var candidates: [URL] = []
        var directory = packageRoot.deletingLastPathComponent()
        while true {
            candidates.append(directory.appendingPathComponent("shared/datasets", isDirectory: true))
            guard directory.path != "/" else { return candidates }
            directory = directory.deletingLastPathComponent()
        }
    }()

    /// Writes `text` as UTF-8 to a new temporary directory under `name` and returns the file's URL.
    static func file(_ name: String, _ text: String) throws -> URL {
        try file(name, bytes: Array(text.utf8))
    }

    /// Writes raw `bytes` to a new temporary directory under `name` and returns the file's URL.
    static func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("emorl-corpus-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A dataset file from the first candidate folder that has it, or an error saying where it was looked for.
    static func dataset(_ relativePath: String) throws -> URL {
        let urls = datasetCandidates.map { $0.appendingPathComponent(relativePath) }
        guard let url = urls.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw MissingDataset(paths: urls.map(\.path))
        }
        return url
    }

    /// The message of the `CorpusError` that `body` throws, or nil when it succeeds.
    static func failure<T>(_ body: () throws -> T) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as CorpusError {
            return error.description
        } catch {
            return "not a CorpusError: \(error)"
        }
    }
}

/// A shared dataset that is not where the tests expect it.
struct MissingDataset: Error, CustomStringConvertible {
    let paths: [String]
    var description: String { "dataset not found; looked at " + paths.joined(separator: ", ") }
}
