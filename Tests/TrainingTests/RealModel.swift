import Foundation
import LanguageModel
import Tensors

/// The default model asset, loaded once for every test that needs it.
enum RealModel {
    static let model: Result<LlamaModel, Error> = Result {
        try LlamaModel(gguf: try GGUFFile(path: try AssetCache().require(AssetCache().defaultModel).path))
    }
}

/// A fixture file shipped with this test target.
func fixtureURL(_ name: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// `peft_gradient_case.json`: the sequence and loss torch + peft computed the reference gradients for.
struct PEFTGradientCase: Decodable {
    let ids: [Int]
    let responseStart: Int
    let loss: Double
    let responseTokenLogprobs: [Double]

    static func load() throws -> PEFTGradientCase {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(PEFTGradientCase.self, from: Data(contentsOf: fixtureURL("peft_gradient_case.json")))
    }
}
