import Foundation

/// Finds the project's `data/` directory, which holds `prompts/{train,validation,test}.jsonl`.
///
/// The order is: `$EMORL_DATA` when set (used as given); else the nearest of the
/// executable's ancestor directories (up to `searchDepth` levels) that contains
/// `data/prompts`, which finds the package root from `.build/debug/emorl`; else
/// `data/` in the current directory.
public enum DataDirectory {
    /// The environment variable that overrides the search.
    public static let environmentKey = "EMORL_DATA"
    /// How many ancestors of the executable's directory are searched.
    public static let searchDepth = 5

    /// The data directory, from the environment, the executable's location or the current directory.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> URL {
        if let path = environment[environmentKey], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        var directory = executable?.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0...searchDepth {
            guard let candidate = directory else { break }
            let data = candidate.appendingPathComponent("data", isDirectory: true)
            if FileManager.default.fileExists(atPath: prompts(in: data).path) { return data }
            directory = candidate.path == "/" ? nil : candidate.deletingLastPathComponent()
        }
        return currentDirectory.appendingPathComponent("data", isDirectory: true)
    }

    /// The prompt directory inside a data directory.
    public static func prompts(in data: URL) -> URL {
        data.appendingPathComponent("prompts", isDirectory: true)
    }
}
