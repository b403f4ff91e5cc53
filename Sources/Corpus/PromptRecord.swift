/// One client statement, optionally with its topic and one reference counselor reflection.
public struct PromptRecord: Codable, Sendable, Hashable {
    /// A stable identifier, unique within its set (for the shipped files, e.g. `train-0001`).
    public var id: String
    /// A coarse topic such as `grief` or `work`, when known.
    public var topic: String?
    /// What the client says: the prompt the policy answers.
    public var client: String
    /// One human reference reflection of the client's statement, when known.
    public var reflection: String?

    /// Creates a record.
    public init(id: String, topic: String? = nil, client: String, reflection: String? = nil) {
        self.id = id
        self.topic = topic
        self.client = client
        self.reflection = reflection
    }
}
