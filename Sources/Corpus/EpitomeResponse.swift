/// One EPITOME response with its levels for all three mechanisms, joined from the three files.
public struct EpitomeResponse: Sendable, Hashable {
    /// The seeker post's id (`sp_id`).
    public var seekerPostID: String
    /// The response post's id (`rp_id`).
    public var responsePostID: String
    /// What the seeker wrote (as in the emotional-reactions file).
    public var seekerPost: String
    /// The peer's response (as in the emotional-reactions file).
    public var response: String
    /// The emotional-reactions level.
    public var emotionalReactions: EpitomeRecord.Level
    /// The interpretations level.
    public var interpretations: EpitomeRecord.Level
    /// The explorations level.
    public var explorations: EpitomeRecord.Level

    /// Creates a joined response.
    public init(seekerPostID: String, responsePostID: String, seekerPost: String, response: String,
                emotionalReactions: EpitomeRecord.Level, interpretations: EpitomeRecord.Level,
                explorations: EpitomeRecord.Level) {
        self.seekerPostID = seekerPostID
        self.responsePostID = responsePostID
        self.seekerPost = seekerPost
        self.response = response
        self.emotionalReactions = emotionalReactions
        self.interpretations = interpretations
        self.explorations = explorations
    }

    /// The level for `mechanism`.
    public subscript(mechanism: EpitomeRecord.Mechanism) -> EpitomeRecord.Level {
        switch mechanism {
        case .emotionalReactions: emotionalReactions
        case .interpretations: interpretations
        case .explorations: explorations
        }
    }

    /// The sum of the three levels, 0 to 6.
    public var totalLevel: Int {
        EpitomeRecord.Mechanism.allCases.reduce(0) { $0 + self[$1].rawValue }
    }
}
