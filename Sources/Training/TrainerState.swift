import Foundation
import Tensors

/// Everything needed to continue a run exactly where a checkpoint left it (`trainer_state.json`).
///
/// Float buffers are stored as base64 little-endian f32 so the file stays one atomic JSON document.
public struct TrainerState: Codable, Sendable, Equatable {
    /// Steps completed.
    public var step: Int
    /// Prompts consumed (16 per step by default).
    public var dataPoints: Int
    /// Wall seconds of training so far.
    public var seconds: Double
    /// Sampling, dropout and bandit randomness.
    public var random: SeededRandom
    /// Position in the shuffled training prompts: which epoch and how far into it.
    public var epoch: Int
    public var cursor: Int
    /// The adapter's parameters.
    public var parameters: FloatBuffer
    /// AdamW with its moments (stored as base64 buffers).
    public var optimizer: AdamW
    public var convergence: ConvergenceMonitor
    public var bandit: DynaOptBandit?
    public var converged: Bool

    /// Loads a state file, with an error naming the file when it is missing, truncated or inconsistent.
    public static func load(from url: URL) throws -> TrainerState {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.corruptState(path: url.path, reason: "cannot read it")
        }
        let state: TrainerState
        do { state = try JSONDecoder().decode(TrainerState.self, from: data) } catch {
            throw TrainingError.corruptState(path: url.path, reason: "not a complete trainer state: \(describe(error))")
        }
        guard state.optimizer.firstMoment.count == state.parameters.values.count,
              state.optimizer.secondMoment.count == state.parameters.values.count, state.step >= 0, state.cursor >= 0 else {
            throw TrainingError.corruptState(path: url.path, reason: "its buffers or counters do not fit together")
        }
        return state
    }

    /// Writes the state atomically.
    public func save(to url: URL) throws {
        try AtomicFile.write(try JSONEncoder().encode(self), to: url)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? context.debugDescription
                : "field \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}

/// A `[Float]` that encodes as base64 little-endian f32.
public struct FloatBuffer: Codable, Sendable, Equatable {
    public var values: [Float]

    public init(_ values: [Float]) { self.values = values }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64 f32 data"))
        }
        values = data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        let data = values.withUnsafeBytes { Data($0) }
        try container.encode(data.base64EncodedString())
    }
}
