import Foundation
import Tensors

/// The fields of a Hugging Face BERT `config.json` that the encoder's forward pass depends on.
public struct BertConfig: Codable, Sendable, Equatable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var hiddenAct: String
    public var layerNormEps: Float
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var typeVocabSize: Int
    public var positionEmbeddingType: String?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case hiddenAct = "hidden_act"
        case layerNormEps = "layer_norm_eps"
        case maxPositionEmbeddings = "max_position_embeddings"
        case vocabSize = "vocab_size"
        case typeVocabSize = "type_vocab_size"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Reads `path` and checks that it describes a model this encoder computes (exact GELU, absolute positions).
    public init(path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FileError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        do { self = try JSONDecoder().decode(BertConfig.self, from: data) } catch {
            throw FileError(path: path, reason: "not a BERT config.json: \(error)")
        }
        guard hiddenAct == "gelu" else {
            throw FileError(path: path, reason: "hidden_act \"\(hiddenAct)\" is not supported (expected \"gelu\")")
        }
        guard positionEmbeddingType ?? "absolute" == "absolute" else {
            throw FileError(path: path, reason: "position_embedding_type \"\(positionEmbeddingType!)\" is not supported (expected \"absolute\")")
        }
        guard numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0, numHiddenLayers > 0, typeVocabSize > 0 else {
            throw FileError(path: path, reason: "hidden_size \(hiddenSize) does not split into \(numAttentionHeads) heads, or a size is zero")
        }
    }
}
