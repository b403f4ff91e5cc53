import Foundation
import Tensors

/// Which sentence encoder a head was trained on, checked when the head is loaded.
///
/// The check is functional: the loaded encoder must have the same model name and embed a fixed probe
/// sentence to the same leading values, so a head is never applied to embeddings it was not trained on.
public struct EncoderIdentity: Codable, Sendable, Equatable {
    /// The probe sentence.
    public static let probeText = "I keep telling myself that things will get better soon."
    /// How many leading values of the probe embedding are recorded.
    public static let probeWidth = 8
    /// How far each probe value may drift (float summation order differs across machines).
    public static let tolerance: Float = 1e-3
    /// The model file's sha256 as `scripts/setup` verifies it, recorded for readers of the head file.
    public static let miniLMSha256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

    /// The encoder's name, e.g. `all-MiniLM-L6-v2`.
    public var model: String
    /// The sha256 of the encoder's weights file.
    public var sha256: String
    /// The embedding width.
    public var dimension: Int
    /// The first `probeWidth` values of the probe sentence's embedding.
    public var probe: [Float]

    /// The identity of `embedder`, named `model`.
    public init(model: String, sha256: String, embedder: any SentenceEmbedder) {
        self.model = model
        self.sha256 = sha256
        self.dimension = embedder.dimension
        self.probe = Array(embedder.embed([Self.probeText]).row(0).prefix(Self.probeWidth))
    }

    /// Throws `ScorerError.encoderMismatch` unless `other` is the same encoder; `head` names the file for the message.
    public func check(_ other: EncoderIdentity, head: String) throws {
        let sameProbe = probe.count == other.probe.count && zip(probe, other.probe).allSatisfy { abs($0 - $1) <= Self.tolerance }
        guard model == other.model, dimension == other.dimension, sameProbe else {
            throw ScorerError.encoderMismatch(head: head, expected: summary, found: other.summary)
        }
    }

    /// `all-MiniLM-L6-v2 (sha256 53aa5117…, dimension 384, probe 0.0123 …)`.
    var summary: String {
        let values = probe.prefix(3).map { String(format: "%.4f", $0) }.joined(separator: " ")
        return "\(model) (sha256 \(sha256.prefix(8))…, dimension \(dimension), probe \(values) …)"
    }
}
