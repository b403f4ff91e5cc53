import Foundation
import Tensors

/// Where the all-MiniLM-L6-v2 files live: `$EMORL_HOME/all-MiniLM-L6-v2/`, installed by `scripts/setup`.
public struct EncoderAssets: Sendable, Equatable {
    /// The folder holding `model.safetensors`, `vocab.txt` and `config.json`.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The default folder: `$EMORL_HOME/all-MiniLM-L6-v2`, with `EMORL_HOME` defaulting to
    /// `${XDG_CACHE_HOME:-$HOME/.cache}/emorl`.
    public static var standard: EncoderAssets {
        EncoderAssets(directory: emorlHome + "/all-MiniLM-L6-v2")
    }

    /// The asset cache root, as DESIGN.md §2 defines it.
    public static var emorlHome: String {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["EMORL_HOME"], !home.isEmpty { return home }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/emorl"
    }

    public var modelPath: String { directory + "/model.safetensors" }
    public var vocabularyPath: String { directory + "/vocab.txt" }
    public var configPath: String { directory + "/config.json" }

    /// Throws, naming the first missing file and how to install it, unless all three files are present.
    public func checkInstalled() throws {
        for path in [configPath, vocabularyPath, modelPath] where !FileManager.default.fileExists(atPath: path) {
            throw FileError(path: path, reason: "missing all-MiniLM-L6-v2 asset: run scripts/setup to install it (or set EMORL_HOME to the folder that holds all-MiniLM-L6-v2/)")
        }
    }
}
