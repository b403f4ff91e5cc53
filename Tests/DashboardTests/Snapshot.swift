import Foundation
import Testing

/// Dependency-free snapshot files under `Snapshots/`: recorded when `EMORL_RECORD_SNAPSHOTS=1`,
/// otherwise compared, with a line diff on mismatch.
enum Snapshot {
    static var recording: Bool { ProcessInfo.processInfo.environment["EMORL_RECORD_SNAPSHOTS"] == "1" }

    static func url(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    }

    /// Records or checks `actual` against the snapshot `name`.
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = url(name)
        if recording {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(name); record it with EMORL_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("snapshot \(name) differs (- recorded, + now):\n\(diff(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    /// The differing lines, numbered, at most 20 of them.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let old = i < a.count ? String(a[i]) : "<none>"
            let new = i < b.count ? String(b[i]) : "<none>"
            if old != new { out.append("line \(i + 1):\n- \(old)\n+ \(new)") }
        }
        return (out.prefix(20) + (out.count > 20 ? ["… \(out.count - 20) more lines differ"] : [])).joined(separator: "\n")
    }
}
