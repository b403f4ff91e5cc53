import Foundation
import Tensors

/// A sentence embedder that remembers: a text already embedded is served from memory, keyed by its
/// `TextHash`; with a file, what was embedded survives across runs (`save()` writes it atomically).
///
/// File layout (little-endian): magic `EMORLEMB`, u32 version 1, u32 dimension C, u32 byte length of the
/// model name, the name (UTF-8), u64 count, then per entry the hash (u64 low, u64 high) and C f32 values.
public final class EmbeddingCache: SentenceEmbedder, @unchecked Sendable {
    /// What computes the embeddings the cache lacks.
    public let encoder: any SentenceEmbedder
    /// The model name recorded in the file: a file written for another model is refused.
    public let model: String
    /// Where the cache persists, if anywhere.
    public let path: String?
    private let lock = NSLock()
    private var entries: [TextHash: [Float]] = [:]     // each [C]

    private static let magic = Array("EMORLEMB".utf8)
    private static let version: UInt32 = 1

    /// A cache in front of `encoder`, filled from `path` when that file exists.
    public init(encoder: any SentenceEmbedder, model: String, path: String? = nil) throws {
        self.encoder = encoder
        self.model = model
        self.path = path
        if let path, FileManager.default.fileExists(atPath: path) {
            entries = try Self.load(path: path, model: model, dimension: encoder.dimension)
        }
    }

    public var dimension: Int { encoder.dimension }

    /// How many texts the cache holds.
    public var count: Int { lock.withLock { entries.count } }

    // MARK: - Embedding

    /// One embedding per text `[B, C]`; only texts not seen before reach the encoder, in one batch, each once.
    public func embed(_ texts: [String]) -> Matrix {
        let keys = texts.map(TextHash.init)
        var missing: [TextHash: String] = [:]
        lock.withLock {
            for (key, text) in zip(keys, texts) where entries[key] == nil { missing[key] = text }
        }
        if !missing.isEmpty {
            let order = Array(missing.keys)
            let computed = encoder.embed(order.map { missing[$0]! })     // [M, C]
            lock.withLock {
                for (i, key) in order.enumerated() { entries[key] = computed.row(i) }
            }
        }
        return lock.withLock {
            Matrix(rows: texts.count, cols: dimension, values: keys.flatMap { entries[$0]! })
        }
    }

    // MARK: - File

    /// Writes every entry to `path` (whole or not at all); does nothing for a cache without a file.
    public func save() throws {
        guard let path else { return }
        let snapshot = lock.withLock { entries }
        let name = Array(model.utf8)
        try AtomicFile.write(to: path) { sink in
            try sink.append(contentsOf: Self.magic)
            try sink.append(contentsOf: [Self.version, UInt32(dimension), UInt32(name.count)].map(\.littleEndian))
            try sink.append(contentsOf: name)
            try sink.append(contentsOf: [UInt64(snapshot.count).littleEndian])
            var words: [UInt32] = []     // per entry: hash (4 words), then [C] values
            words.reserveCapacity(snapshot.count * (4 + dimension))
            for key in snapshot.keys.sorted(by: { ($0.high, $0.low) < ($1.high, $1.low) }) {
                for half in [key.low, key.high] { words += [UInt32(truncatingIfNeeded: half), UInt32(truncatingIfNeeded: half >> 32)] }
                words += snapshot[key]!.map(\.bitPattern)
            }
            try sink.append(contentsOf: words.map(\.littleEndian))
        }
    }

    /// Reads a cache file, checking its header against the model and dimension in use.
    private static func load(path: String, model: String, dimension: Int) throws -> [TextHash: [Float]] {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let error as MappedFile.OpenError {
            throw FileError(path: path, reason: error.reason)
        }
        let bytes = file.bytes
        func fail(_ reason: String) -> FileError {
            FileError(path: path, reason: "\(reason); delete the file to start the cache afresh")
        }
        func u32(_ offset: Int) -> Int { Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }

        guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw fail("not an emorl embedding cache") }
        guard u32(8) == version else { throw fail("cache version \(u32(8)), expected \(version)") }
        let nameLength = u32(16)
        guard bytes.count >= 28 + nameLength else { throw fail("header is truncated") }
        let fileModel = String(decoding: bytes[20..<(20 + nameLength)], as: UTF8.self)
        guard fileModel == model, u32(12) == dimension else {
            throw fail("written for model \(fileModel) (dimension \(u32(12))), not \(model) (dimension \(dimension))")
        }
        let count = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 20 + nameLength, as: UInt64.self))
        let start = 28 + nameLength, entrySize = 16 + 4 * dimension
        guard count == UInt64((bytes.count - start) / entrySize), (bytes.count - start) % entrySize == 0 else {
            throw fail("holds \(bytes.count - start) bytes of entries, which is not \(count) entries of \(entrySize) bytes")
        }
        var entries: [TextHash: [Float]] = [:]
        entries.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            let offset = start + i * entrySize
            let low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            entries[TextHash(high: high, low: low)] = (0..<dimension).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 16 + 4 * $0, as: UInt32.self)))
            }
        }
        return entries
    }
}
