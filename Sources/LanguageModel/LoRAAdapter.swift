import Tensors

/// A projection inside a llama block that LoRA can adapt; raw values are PEFT's module names.
public enum Projection: String, CaseIterable, Codable, Sendable {
    case query = "q_proj", key = "k_proj", value = "v_proj", output = "o_proj"
    case gate = "gate_proj", up = "up_proj", down = "down_proj"

    /// PEFT's module path below `model.layers.N`.
    public var modulePath: String {
        switch self {
        case .query, .key, .value, .output: "self_attn.\(rawValue)"
        case .gate, .up, .down: "mlp.\(rawValue)"
        }
    }

    /// (out, in) of this projection's weight in `config`.
    public func shape(_ config: LlamaConfig) -> (out: Int, in: Int) {
        let c = config.embeddingWidth, kv = config.kvWidth, f = config.feedForwardWidth
        switch self {
        case .query, .output: return (c, c)
        case .key, .value: return (kv, c)
        case .gate, .up: return (f, c)
        case .down: return (c, f)
        }
    }
}

/// Which blocks and projections a LoRA adapter covers, and its rank and scale.
public struct LoRAConfig: Codable, Sendable, Equatable {
    public var rank: Int
    public var alpha: Float
    public var dropout: Float
    public var projections: [Projection]
    /// Adapted block indices, ascending.
    public var blocks: [Int]

    /// The paper's adapter (r=8, alpha=32, dropout 0.05, every projection) on the top `topBlocks` of `blockCount` blocks.
    public static func paper(blockCount: Int, topBlocks: Int) -> LoRAConfig {
        LoRAConfig(rank: 8, alpha: 32, dropout: 0.05, projections: Projection.allCases,
                   blocks: Array((blockCount - min(topBlocks, blockCount))..<blockCount))
    }

    public init(rank: Int, alpha: Float, dropout: Float, projections: [Projection], blocks: [Int]) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.projections = projections
        self.blocks = blocks.sorted()
    }

    /// The factor applied to B·A: alpha / rank.
    public var scale: Float { alpha / Float(rank) }

    /// The lowest adapted block (blocks below it are the frozen base).
    public var firstBlock: Int { blocks.first ?? Int.max }
}

/// LoRA weights for one model: every A `[r, in]` and B `[out, r]` in one flat buffer.
///
/// A projection's delta is ΔW = scale · B·A, applied as y += scale · (x·Aᵀ)·Bᵀ. One flat buffer keeps
/// zeroing, AdamW and saving as single loops over `parameters`.
public struct LoRAAdapter: Sendable, Equatable {
    /// Where one projection's factors live in `parameters`.
    public struct Slot: Sendable, Equatable {
        public let block: Int
        public let projection: Projection
        public let inWidth: Int
        public let outWidth: Int
        /// Offset of A `[r, in]`.
        public let aOffset: Int
        /// Offset of B `[out, r]`.
        public let bOffset: Int
    }

    public let config: LoRAConfig
    public let slots: [Slot]
    public var parameters: [Float]

    /// An adapter for `model` with A ~ U(−1/√in, 1/√in) (PEFT's Kaiming-uniform bound) and B = 0, so it starts as the identity.
    public init(config: LoRAConfig, model: LlamaConfig, random: inout SeededRandom) {
        self.init(config: config, model: model)
        for slot in slots {
            let bound = 1 / Float(slot.inWidth).squareRoot()
            for i in 0..<(config.rank * slot.inWidth) {
                parameters[slot.aOffset + i] = (2 * random.nextUnitFloat() - 1) * bound
            }
        }
    }

    /// An all-zero adapter with the layout of `config` over `model`.
    public init(config: LoRAConfig, model: LlamaConfig) {
        precondition(config.blocks.allSatisfy { $0 >= 0 && $0 < model.blockCount }, "LoRA blocks \(config.blocks) outside 0..<\(model.blockCount)")
        self.config = config
        var slots: [Slot] = []
        var offset = 0
        for block in config.blocks {
            for projection in config.projections {
                let (out, inWidth) = projection.shape(model)
                slots.append(Slot(block: block, projection: projection, inWidth: inWidth, outWidth: out,
                                  aOffset: offset, bOffset: offset + config.rank * inWidth))
                offset += config.rank * (inWidth + out)
            }
        }
        self.slots = slots
        self.parameters = [Float](repeating: 0, count: offset)
    }

    /// The slot for a block's projection, if adapted.
    public func slot(block: Int, projection: Projection) -> Slot? {
        slots.first { $0.block == block && $0.projection == projection }
    }

    /// A `[r, in]`.
    public func a(_ slot: Slot) -> Matrix {
        Matrix(rows: config.rank, cols: slot.inWidth,
               values: Array(parameters[slot.aOffset..<(slot.aOffset + config.rank * slot.inWidth)]))
    }

    /// B `[out, r]`.
    public func b(_ slot: Slot) -> Matrix {
        Matrix(rows: slot.outWidth, cols: config.rank,
               values: Array(parameters[slot.bOffset..<(slot.bOffset + config.rank * slot.outWidth)]))
    }

    /// y `[T, out]` += scale · (x `[T, in]` · Aᵀ) · Bᵀ.
    public func addDelta(_ slot: Slot, input x: Matrix, to y: inout Matrix) {
        let xa = BLAS.linear(x, a(slot))                                  // [T, r]
        let delta = BLAS.linear(xa, b(slot))                              // [T, out]
        let scale = config.scale
        for i in delta.values.indices { y.values[i] += scale * delta.values[i] }
    }
}
