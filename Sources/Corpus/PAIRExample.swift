/// One labelled (prompt, response) pair from a PAIR-style CSV (Min et al., 2022).
public struct PAIRExample: Sendable, Hashable {
    /// How much the response reflects the prompt, as PAIR labels it.
    public enum Level: Int, CaseIterable, Sendable, Comparable {
        case nonReflection = 0
        case simpleReflection = 1
        case complexReflection = 2

        /// Orders levels by their integer value.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The 1-based line where the row starts.
    public var line: Int
    /// What the client says.
    public var prompt: String
    /// The counselor's response.
    public var response: String
    /// The response's reflection level.
    public var level: Level

    /// Creates an example.
    public init(line: Int, prompt: String, response: String, level: Level) {
        self.line = line
        self.prompt = prompt
        self.response = response
        self.level = level
    }
}
