import Foundation

/// One line of a run's `metrics.jsonl`, in the TRL vocabulary the trainer writes.
///
/// Read: `step`, `reward`, `rewards/<objective>/mean`, `data_points`, `seconds`, `objective` (which
/// adapter the line is about, when a run trains several), `validation/mean` (or `eval/reward`), and
/// `converged` (true on the last line of a converged run).
public struct MetricsRecord: Hashable, Sendable {
    public var step: Int
    public var objective: String?
    public var reward: Double?
    /// `rewards/<objective>/mean` by objective name.
    public var objectiveRewards: [String: Double]
    public var validation: Double?
    public var dataPoints: Int?
    public var seconds: Double?
    public var converged: Bool

    /// Parses one JSON line; nil for a line that is not a metrics object (it is skipped).
    public init?(line: Substring) {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let step = (object["step"] as? NSNumber)?.intValue else { return nil }
        func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
        self.step = step
        objective = object["objective"] as? String
        reward = number("reward")
        var rewards: [String: Double] = [:]
        for (key, value) in object where key.hasPrefix("rewards/") && key.hasSuffix("/mean") {
            if let value = (value as? NSNumber)?.doubleValue { rewards[String(key.dropFirst(8).dropLast(5))] = value }
        }
        objectiveRewards = rewards
        validation = number("validation/mean") ?? number("eval/reward")
        dataPoints = (object["data_points"] as? NSNumber)?.intValue
        seconds = number("seconds")
        converged = (object["converged"] as? Bool) ?? false
    }
}

/// Follows a `metrics.jsonl` another thread or process appends to: each `poll` returns the new complete lines.
///
/// A partial last line waits for its newline; a file that shrank (a new run) is read again from the start.
public final class MetricsLog {
    public let url: URL
    private var offset: UInt64 = 0
    private var partial = Data()

    public init(url: URL) {
        self.url = url
    }

    /// The records appended since the last poll (none when the file does not exist yet), and whether it restarted.
    public func poll() -> (records: [MetricsRecord], restarted: Bool) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return ([], false) }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        var restarted = false
        if size < offset {
            offset = 0
            partial = Data()
            restarted = true
        }
        guard size > offset else { return ([], restarted) }
        try? handle.seek(toOffset: offset)
        let chunk = (try? handle.read(upToCount: Int(size - offset))) ?? Data()
        offset += UInt64(chunk.count)
        partial.append(chunk)
        guard let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) else { return ([], restarted) }
        let complete = partial[partial.startIndex..<lastNewline]
        partial = Data(partial[(lastNewline + 1)...])
        let lines = String(decoding: complete, as: UTF8.self).split(separator: "\n")
        return (lines.compactMap(MetricsRecord.init(line:)), restarted)
    }
}
