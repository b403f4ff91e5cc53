/// Why an ensemble cannot run with the weights or adapters it was given.
public struct EnsembleError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }

    /// Checks a weight vector for `adapterCount` adapters: finite, non-negative, not all zero.
    public static func validate(weights: [Double], adapterCount: Int) throws {
        guard adapterCount > 0 else { throw EnsembleError(message: "the ensemble has no adapters") }
        guard weights.count == adapterCount else {
            throw EnsembleError(message: "\(weights.count) weights given for \(adapterCount) adapters: give one weight per adapter")
        }
        if let bad = weights.firstIndex(where: { !$0.isFinite }) {
            throw EnsembleError(message: "weight \(bad + 1) is \(weights[bad]): weights must be finite numbers in [0, 1]")
        }
        if let bad = weights.firstIndex(where: { $0 < 0 }) {
            throw EnsembleError(message: "weight \(bad + 1) is \(weights[bad]): weights must not be negative")
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw EnsembleError(message: "all weights are zero: at least one adapter needs a positive weight")
        }
    }
}
