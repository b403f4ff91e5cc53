#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file or nothing: bytes go to a temporary file in the destination's folder,
/// which is flushed and renamed over the destination only when complete.
public enum AtomicFile {
    /// Why a file could not be written; the destination is left as it was.
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// An open temporary file that `write(to:_:)` hands to its body.
    public struct Sink {
        fileprivate let fd: Int32
        fileprivate let path: String

        /// Appends raw bytes.
        public func append(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }

        /// Appends the bytes of a contiguous array of trivial values (bytes, floats, …) as they lie in memory.
        public func append<T: BitwiseCopyable>(contentsOf values: [T]) throws {
            try values.withUnsafeBytes { try append($0) }
        }
    }

    /// Runs `body` against a temporary file beside `path`, then renames it to `path`.
    ///
    /// On any failure (the body throws, a write or the rename fails) the temporary file is removed.
    public static func write(to path: String, _ body: (Sink) throws -> Void) throws {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw WriteError(path: path, reason: "cannot create a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do {
            defer { close(fd) }
            try body(Sink(fd: fd, path: path))
            guard fsync(fd) == 0 else {
                throw WriteError(path: path, reason: "cannot flush: \(String(cString: strerror(errno)))")
            }
            guard fchmod(fd, 0o644) == 0, rename(temporary, path) == 0 else {
                throw WriteError(path: path, reason: "cannot move the finished file into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

/// POSIX `write`, named apart from `AtomicFile.write` so that lookup inside the enum finds it.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

#if canImport(Foundation)
import Foundation

extension AtomicFile {
    /// Replaces `url` with `data` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url.path) { sink in try data.withUnsafeBytes { try sink.append($0) } }
    }

    /// Encodes `value` as pretty, key-sorted JSON and writes it atomically.
    public static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(value), to: url)
    }
}
#endif
