/// One response rated for one empathy mechanism in the EPITOME data (Sharma et al., 2020).
public struct EpitomeRecord: Sendable, Hashable {
    /// The empathy communication mechanism a file rates.
    public enum Mechanism: String, CaseIterable, Sendable {
        case emotionalReactions = "emotional-reactions"
        case interpretations
        case explorations

        /// The released file's name, e.g. `emotional-reactions-reddit.csv`.
        public var fileName: String { rawValue + "-reddit.csv" }

        /// The mechanism a file name mentions, e.g. `interpretations-reddit.csv`.
        public init?(fileName: String) {
            guard let match = Self.allCases.first(where: { fileName.lowercased().contains($0.rawValue) }) else { return nil }
            self = match
        }
    }

    /// How strongly the response communicates the mechanism.
    public enum Level: Int, CaseIterable, Sendable, Comparable {
        case none = 0, weak = 1, strong = 2

        /// Orders levels by their integer value.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The mechanism rated.
    public var mechanism: Mechanism
    /// The seeker post's id (`sp_id`).
    public var seekerPostID: String
    /// The response post's id (`rp_id`).
    public var responsePostID: String
    /// What the seeker wrote.
    public var seekerPost: String
    /// The peer's response.
    public var response: String
    /// The rating.
    public var level: Level
    /// The annotators' rationale spans, as released (may be empty).
    public var rationales: String
    /// The file the record came from.
    public var file: String
    /// The 1-based line where its row starts.
    public var line: Int

    /// Creates a record.
    public init(mechanism: Mechanism, seekerPostID: String, responsePostID: String, seekerPost: String,
                response: String, level: Level, rationales: String, file: String, line: Int) {
        self.mechanism = mechanism
        self.seekerPostID = seekerPostID
        self.responsePostID = responsePostID
        self.seekerPost = seekerPost
        self.response = response
        self.level = level
        self.rationales = rationales
        self.file = file
        self.line = line
    }
}
