import Foundation
@testable import Objectives
import Tensors
import Testing

/// Test access to the installed assets and fixtures; a missing asset fails the test, never skips it.
enum Assets {
    /// The encoder asset folder, or a failure that says to run `scripts/setup`.
    static var encoder: EncoderAssets {
        get throws {
            let assets = EncoderAssets.standard
            try assets.checkInstalled()
            return assets
        }
    }

    /// One encoder shared by the tests of this process (loading takes a moment).
    static let sharedEncoder: Result<SentenceEncoder, any Error> = Result { try SentenceEncoder(assets: encoder) }

    /// The path of a file under Fixtures/.
    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw FileError(path: "Fixtures/" + name, reason: "fixture missing from the test bundle")
        }
        return url.path
    }
}
