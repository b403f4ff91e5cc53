import Foundation

/// The sentence encoder the scorers read, loaded once: the encoder, an embedder in front of it, and its identity.
public struct ScorerEncoder: Sendable {
    /// The encoder's name, recorded in head files.
    public static let model = "all-MiniLM-L6-v2"

    public let encoder: SentenceEncoder
    /// What the objectives call: the encoder behind a cache.
    public let embedder: any SentenceEmbedder
    /// What head files are checked against.
    public let identity: EncoderIdentity

    /// Loads the encoder from `assets`; `cache` wraps it (default: a bounded in-memory cache).
    public init(assets: EncoderAssets = .standard,
                cache: (SentenceEncoder) throws -> any SentenceEmbedder = { RecentEmbeddings($0) }) throws {
        encoder = try SentenceEncoder(assets: assets)
        embedder = try cache(encoder)
        identity = EncoderIdentity(model: URL(fileURLWithPath: assets.directory).lastPathComponent,
                                   sha256: EncoderIdentity.miniLMSha256, embedder: encoder)
    }

    /// The on-disk embedding cache for training: `$EMORL_HOME/cache/embeddings-<model>.bin`.
    public static func diskCachePath() -> String {
        EncoderAssets.emorlHome + "/cache/embeddings-\(model).bin"
    }
}
