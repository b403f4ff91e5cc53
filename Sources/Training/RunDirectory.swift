import Foundation
import LanguageModel
import Tensors

/// A run on disk (`runs/<name>/`): `run.json`, `metrics.jsonl`, `samples.jsonl`, `trainer_state.json`,
/// `adapters/<objective>/` in the PEFT layout, and `search.jsonl`.
public struct RunDirectory: Sendable {
    /// What `run.json` holds: the config and the model it was trained on.
    public struct Manifest: Codable, Sendable, Equatable {
        public var config: TrainerConfig
        public var model: ModelFingerprint
        public var created: String
    }

    public let url: URL
    public var manifestFile: URL { url.appendingPathComponent("run.json") }
    public var metricsFile: URL { url.appendingPathComponent("metrics.jsonl") }
    public var samplesFile: URL { url.appendingPathComponent("samples.jsonl") }
    public var stateFile: URL { url.appendingPathComponent("trainer_state.json") }
    public var searchFile: URL { url.appendingPathComponent("search.jsonl") }
    /// The PEFT adapter folder of a trained model (named after its objective, or the run's reward mode).
    public func adapterFolder(_ name: String) -> URL { url.appendingPathComponent("adapters").appendingPathComponent(name) }

    public init(url: URL) { self.url = url }

    // MARK: - Manifest

    /// Creates the folder (if needed) and writes `run.json`; fails clearly if the folder is not writable.
    public func create(config: TrainerConfig, model: ModelFingerprint) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.runDirectory(path: url.path, reason: "cannot create the run directory (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw TrainingError.runDirectory(path: url.path, reason: "the run directory is not writable")
        }
        let manifest = Manifest(config: config, model: model, created: ISO8601DateFormatter().string(from: Date()))
        do { try AtomicFile.write(try Self.encoder.encode(manifest), to: manifestFile) } catch {
            throw TrainingError.runDirectory(path: manifestFile.path, reason: "cannot write run.json (\(error))")
        }
    }

    /// Reads `run.json`, checking that it was made for `model` when one is given.
    public func manifest(expecting model: ModelFingerprint? = nil) throws -> Manifest {
        guard let data = try? Data(contentsOf: manifestFile) else {
            throw TrainingError.runDirectory(path: url.path, reason: "no run.json: not a run directory")
        }
        let manifest: Manifest
        do { manifest = try Self.decoder.decode(Manifest.self, from: data) } catch {
            throw TrainingError.runDirectory(path: manifestFile.path, reason: "run.json is not a valid run manifest (\(error))")
        }
        if let model, manifest.model != model {
            throw TrainingError.otherModel(path: url.path, expected: manifest.model.summary, found: model.summary)
        }
        return manifest
    }

    // MARK: - Logs

    /// Appends one JSON line to `file` with a single write (a crash leaves at most a partial last line).
    public func appendLine(_ line: String, to file: URL) throws {
        let fd = open(file.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw TrainingError.runDirectory(path: file.path, reason: "cannot append: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TrainingError.runDirectory(path: file.path, reason: "cannot append: \(String(cString: strerror(errno)))")
        }
    }

    /// The metrics written so far; a partial last line (a writer killed mid-write, or still writing) is ignored.
    public func metrics() -> [StepMetrics] {
        guard let text = try? String(contentsOf: metricsFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { StepMetrics(jsonLine: $0) }
    }

    /// Drops log lines of steps after `step` (work a killed run did past its last checkpoint).
    public func truncateLogs(after step: Int) throws {
        for file in [metricsFile, samplesFile] {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let kept = text.split(separator: "\n").filter { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let lineStep = object["step"] as? Int else { return false }
                return lineStep <= step
            }
            try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: file)
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()
}

/// Identifies a base model well enough to refuse a run directory made with another one.
public struct ModelFingerprint: Codable, Sendable, Equatable {
    public var fileName: String
    public var name: String
    public var tensorCount: Int
    public var config: LlamaConfig

    public init(gguf: GGUFFile, config: LlamaConfig) {
        fileName = URL(fileURLWithPath: gguf.path).lastPathComponent
        name = gguf.metadata["general.name"]?.stringValue ?? "unnamed"
        tensorCount = gguf.tensorNames.count
        self.config = config
    }

    public init(fileName: String, name: String, tensorCount: Int, config: LlamaConfig) {
        self.fileName = fileName
        self.name = name
        self.tensorCount = tensorCount
        self.config = config
    }

    /// A short human description.
    public var summary: String {
        "\(fileName) (\(name), \(tensorCount) tensors, \(config.blockCount) blocks, width \(config.embeddingWidth))"
    }
}
