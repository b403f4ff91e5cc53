import Foundation

/// The paper's stopping rule: converged when std/mean of the last `window` validation means is below `threshold`.
public struct ConvergenceMonitor: Codable, Sendable, Equatable {
    public var window: Int
    public var threshold: Double
    /// Every validation mean so far, oldest first.
    public private(set) var history: [Double] = []

    public init(window: Int = 20, threshold: Double = 0.015) {
        self.window = window
        self.threshold = threshold
    }

    /// Records a validation mean and says whether training has converged.
    public mutating func record(_ validationMean: Double) -> Bool {
        history.append(validationMean)
        return isConverged
    }

    /// std/mean (population std) of the last `window` means, once there are that many.
    public var relativeSpread: Double? {
        guard history.count >= window else { return nil }
        let recent = history.suffix(window)
        let mean = recent.reduce(0, +) / Double(window)
        let variance = recent.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window)
        return mean == 0 ? .infinity : variance.squareRoot() / abs(mean)
    }

    public var isConverged: Bool { relativeSpread.map { $0 < threshold } ?? false }
}
