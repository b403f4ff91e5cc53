import Tensors

/// A softmax classifier over fixed features: logits = x · Wᵀ + b, `[B, F]` → `[B, K]`; a binary head has K = 2.
public struct LinearHead: Codable, Sendable, Equatable {
    /// K, the number of classes.
    public let classes: Int
    /// F, the feature width.
    public let features: Int
    /// W `[K, F]`, row-major.
    public var weights: [Float]
    /// b `[K]`.
    public var bias: [Float]

    /// A head of zeros.
    public init(classes: Int, features: Int) {
        precondition(classes >= 2 && features >= 1, "a head needs 2 or more classes and 1 or more features")
        self.classes = classes
        self.features = features
        weights = [Float](repeating: 0, count: classes * features)
        bias = [Float](repeating: 0, count: classes)
    }

    /// Checks the shapes a decoded head claims.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        classes = try container.decode(Int.self, forKey: .classes)
        features = try container.decode(Int.self, forKey: .features)
        weights = try container.decode([Float].self, forKey: .weights)
        bias = try container.decode([Float].self, forKey: .bias)
        guard classes >= 2, features >= 1, weights.count == classes * features, bias.count == classes else {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container, debugDescription:
                "a head of \(classes) classes × \(features) features needs \(classes * features) weights and \(classes) biases, got \(weights.count) and \(bias.count)")
        }
    }

    /// Logits `[B, K]` of features `[B, F]`.
    public func logits(_ x: Matrix) -> Matrix {
        precondition(x.cols == features, "head expects \(features) features, got \(x.cols)")
        var z = BLAS.linear(x, Matrix(rows: classes, cols: features, values: weights))
        for row in 0..<z.rows {
            for k in 0..<classes { z[row, k] += bias[k] }
        }
        return z
    }

    /// Class probabilities `[B, K]` of features `[B, F]`.
    public func probabilities(_ x: Matrix) -> Matrix {
        var p = logits(x)
        p.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<p.rows { VectorMath.softmax(values.baseAddress! + row * classes, count: classes) }
        }
        return p
    }

    /// For a binary head: the log-odds of class 1, z₁ − z₀, per row `[B]`.
    public func logOdds(_ x: Matrix) -> [Double] {
        precondition(classes == 2, "log-odds needs a binary head, this one has \(classes) classes")
        let z = logits(x)
        return (0..<z.rows).map { Double(z[$0, 1] - z[$0, 0]) }
    }
}
