import Tensors

/// Anything that turns texts into unit-length sentence embeddings: the encoder itself, or a cache in front of it.
public protocol SentenceEmbedder: Sendable {
    /// Width of one embedding.
    var dimension: Int { get }
    /// One L2-normalised embedding per text: `[B, dimension]`, rows in the order of `texts`.
    func embed(_ texts: [String]) -> Matrix
}
