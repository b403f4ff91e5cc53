import Foundation
import Training

/// The dashboard's run directory: one sub-run per objective, `DIR/<objective>/`, each a `RunDirectory`
/// that `emorl train --run DIR/<objective>` could have written.
///
/// A name that is not a plain file name (an `external:<command>` objective) gets a folder with every
/// character outside `A-Z a-z 0-9 . _ -` replaced by `_`.
public struct DashboardRun: Sendable, Hashable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// A single run written straight into `DIR` (e.g. by `emorl train --run DIR`): its `metrics.jsonl`.
    public var metricsFile: URL { url.appendingPathComponent("metrics.jsonl") }

    /// The sub-run that trains `objective`.
    public func run(_ objective: String) -> RunDirectory {
        RunDirectory(url: url.appendingPathComponent(Self.folderName(objective), isDirectory: true))
    }

    /// The PEFT folder the trainer of `objective` checkpoints its adapter into (marked a directory, so the URL
    /// is the same before and after the folder exists).
    public func adapterFolder(_ objective: String) -> URL {
        URL(fileURLWithPath: run(objective).adapterFolder(objective).path, isDirectory: true)
    }

    static func folderName(_ objective: String) -> String {
        String(objective.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }
}
