import Foundation

/// A trained scorer as shipped in `data/scorers/<objective>.json`: its heads, the encoder they were trained on,
/// how features are made, and the held-out metrics the trainer measured.
public struct HeadFile: Codable, Sendable, Equatable {
    /// The current layout; a file of another version is refused.
    public static let currentVersion = 1

    /// One head and the features it reads.
    public struct Entry: Codable, Sendable, Equatable {
        public var recipe: FeatureRecipe
        public var head: LinearHead

        public init(recipe: FeatureRecipe, head: LinearHead) {
            self.recipe = recipe
            self.head = head
        }
    }

    /// How the data were split and how much of each side there was.
    public struct Training: Codable, Sendable, Equatable {
        /// The dataset files, relative to the datasets folder.
        public var datasets: [String]
        /// What the split is by (transcript, seeker post) and its proportions.
        public var split: String
        /// The split's seed.
        public var seed: UInt64
        /// Examples per side: train, validation, test.
        public var counts: [String: Int]
        /// The command that rebuilds this file.
        public var command: String
    }

    public var version: Int
    /// The objective's registry name.
    public var objective: String
    public var encoder: EncoderIdentity
    /// Heads by role, e.g. `form`, `match`, `emotional_reactions`.
    public var heads: [String: Entry]
    /// Numbers the objective combines heads with, e.g. `match_weight`.
    public var parameters: [String: Double]
    /// Held-out metrics by name, as printed by `emorl scorers train`.
    public var metrics: [String: Double]
    public var training: Training

    public init(objective: String, encoder: EncoderIdentity, heads: [String: Entry], parameters: [String: Double],
                metrics: [String: Double], training: Training) {
        self.version = Self.currentVersion
        self.objective = objective
        self.encoder = encoder
        self.heads = heads
        self.parameters = parameters
        self.metrics = metrics
        self.training = training
    }

    // MARK: - Disk

    /// The file of `objective` in a scorers folder.
    public static func url(objective: String, in folder: URL) -> URL {
        folder.appendingPathComponent(objective + ".json")
    }

    /// Reads a head file, naming the file in any error.
    public static func read(_ url: URL) throws -> HeadFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ScorerError.unreadableHead(path: url.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        let file: HeadFile
        do { file = try JSONDecoder().decode(HeadFile.self, from: data) } catch {
            throw ScorerError.unreadableHead(path: url.path, reason: "not a head file: \(error)")
        }
        guard file.version == currentVersion else {
            throw ScorerError.unreadableHead(path: url.path, reason: "layout version \(file.version), this emorl reads \(currentVersion)")
        }
        return file
    }

    /// Writes the file (sorted keys, so retraining with the same seed gives the same bytes).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// The head in `role`, checked to read `recipe` features of an encoder of this file's dimension.
    public func head(_ role: String, recipe: FeatureRecipe, source: String) throws -> LinearHead {
        guard let entry = heads[role] else {
            throw ScorerError.unreadableHead(path: source, reason: "no \"\(role)\" head")
        }
        guard entry.recipe == recipe, entry.head.features == recipe.width(dimension: encoder.dimension) else {
            throw ScorerError.unreadableHead(path: source, reason: "the \"\(role)\" head reads \(entry.recipe.rawValue) features of width \(entry.head.features), expected \(recipe.rawValue) of width \(recipe.width(dimension: encoder.dimension))")
        }
        return entry.head
    }

    /// The parameter `name`, which must be present.
    public func parameter(_ name: String, source: String) throws -> Double {
        guard let value = parameters[name], value.isFinite else {
            throw ScorerError.unreadableHead(path: source, reason: "no finite \"\(name)\" parameter")
        }
        return value
    }
}
