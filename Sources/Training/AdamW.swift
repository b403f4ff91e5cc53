import Foundation

/// AdamW over one flat parameter buffer, as PyTorch's `torch.optim.AdamW` does it, after global gradient-norm clipping
/// as `torch.nn.utils.clip_grad_norm_` does it.
///
/// Per step t: g ← g · min(1, maxNorm / (‖g‖ + 1e-6)); θ ← θ − lr·λ·θ (decoupled weight decay, applied to every LoRA
/// factor); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε).
/// The defaults are PyTorch's (β 0.9/0.999, ε 1e-8, λ 0.01) with the paper's lr 1e-4 and clip 2.0.
/// The whole state is `Codable`, so a trainer can save it and resume exactly.
public struct AdamW: Codable, Sendable, Equatable {
    /// The optimizer's settings.
    public struct Settings: Codable, Sendable, Equatable {
        public var learningRate: Float = 1e-4
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var epsilon: Float = 1e-8
        public var weightDecay: Float = 0.01
        /// Global L2 norm the gradient is clipped to before the update; nil for no clipping.
        public var maxGradientNorm: Float? = 2.0

        public init() {}
    }

    public var settings: Settings
    /// Updates taken so far (t).
    public private(set) var step = 0
    /// m, parallel to the parameters.
    public private(set) var firstMoment: [Float]
    /// v, parallel to the parameters.
    public private(set) var secondMoment: [Float]

    public init(parameterCount: Int, settings: Settings = Settings()) {
        self.settings = settings
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = firstMoment
    }

    /// Clips `gradients` in place, then updates `parameters`; returns the gradient norm before clipping.
    @discardableResult
    public mutating func update(_ parameters: inout [Float], gradients: inout [Float]) -> Float {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count,
                     "AdamW holds \(firstMoment.count) moments; got \(parameters.count) parameters and \(gradients.count) gradients")
        let norm = Self.norm(gradients)
        if let maxNorm = settings.maxGradientNorm, norm.isFinite {
            let factor = maxNorm / (norm + 1e-6)
            if factor < 1 { for i in gradients.indices { gradients[i] *= factor } }
        }
        step += 1
        let s = settings
        let correction1 = 1 - pow(s.beta1, Float(step)), correction2Root = (1 - pow(s.beta2, Float(step))).squareRoot()
        let stepSize = s.learningRate / correction1, decay = 1 - s.learningRate * s.weightDecay
        for i in parameters.indices {
            let g = gradients[i]
            firstMoment[i] = s.beta1 * firstMoment[i] + (1 - s.beta1) * g
            secondMoment[i] = s.beta2 * secondMoment[i] + (1 - s.beta2) * g * g
            parameters[i] = parameters[i] * decay - stepSize * firstMoment[i] / (secondMoment[i].squareRoot() / correction2Root + s.epsilon)
        }
        return norm
    }

    // MARK: - Coding (moments as base64 f32, so a checkpoint stays compact)

    private enum CodingKeys: String, CodingKey { case settings, step, firstMoment, secondMoment }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        settings = try container.decode(Settings.self, forKey: .settings)
        step = try container.decode(Int.self, forKey: .step)
        firstMoment = try container.decode(FloatBuffer.self, forKey: .firstMoment).values
        secondMoment = try container.decode(FloatBuffer.self, forKey: .secondMoment).values
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings, forKey: .settings)
        try container.encode(step, forKey: .step)
        try container.encode(FloatBuffer(firstMoment), forKey: .firstMoment)
        try container.encode(FloatBuffer(secondMoment), forKey: .secondMoment)
    }

    /// The L2 norm of a flat buffer (accumulated in Double).
    public static func norm(_ values: [Float]) -> Float {
        Float(values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
    }
}
