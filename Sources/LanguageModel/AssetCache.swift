import Foundation

/// Where the setup step puts the model assets: `$EMORL_HOME`, default `${XDG_CACHE_HOME:-~/.cache}/emorl`.
public struct AssetCache: Sendable {
    /// The cache folder.
    public let root: URL

    /// The asset cache of this environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let home = environment["EMORL_HOME"], !home.isEmpty {
            root = URL(fileURLWithPath: home)
        } else {
            let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
            root = URL(fileURLWithPath: cache).appendingPathComponent("emorl")
        }
    }

    /// The default base model file.
    public var defaultModel: URL { root.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// The sentence encoder's folder (model.safetensors, vocab.txt, config.json).
    public var encoderFolder: URL { root.appendingPathComponent("all-MiniLM-L6-v2") }

    /// `file` if it exists, else an error saying how to fetch it.
    public func require(_ file: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: file.path) else { throw MissingAssetError(path: file.path) }
        return file
    }
}

/// A model asset that is not on disk.
public struct MissingAssetError: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "missing model asset \(path): run scripts/setup to fetch it (or set EMORL_HOME to the folder that has it)"
    }
}
