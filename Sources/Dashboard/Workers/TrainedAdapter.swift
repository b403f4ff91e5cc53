import Foundation
import Training

/// An adapter checkpoint on disk, as of its last write: a PEFT folder and when its config was written.
///
/// The trainer writes the weights first and `adapter_config.json` last (each atomically), so the config's
/// time marks a complete checkpoint: a new time means a new adapter to load.
public struct TrainedAdapter: Hashable, Sendable {
    public var folder: URL
    public var written: Date

    public init(folder: URL, written: Date) {
        self.folder = folder
        self.written = written
    }

    /// The checkpoint in `folder`; nil while it has none.
    public init?(folder: URL) {
        let config = folder.appendingPathComponent(PEFTAdapter.configFile).path
        guard let written = (try? FileManager.default.attributesOfItem(atPath: config))?[.modificationDate] as? Date else { return nil }
        self.init(folder: folder, written: written)
    }
}
