import Foundation
import LanguageModel
import Testing

/// The default model asset, loaded once for every test that needs it.
enum RealModel {
    /// Path of the default GGUF; a test that needs it fails (never skips) when it is missing.
    static func path() throws -> String {
        try AssetCache().require(AssetCache().defaultModel).path
    }

    static let file: Result<GGUFFile, Error> = Result { try GGUFFile(path: try path()) }
    static let model: Result<LlamaModel, Error> = Result { try LlamaModel(gguf: try file.get()) }
}

/// Reads a fixture file shipped with this test target.
func fixtureURL(_ name: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
}
