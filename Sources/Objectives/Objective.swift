/// A reward signal: scores responses to client statements, batched, each in [0, 1].
///
/// The trainer and the search take any list of objectives; an objective knows nothing of training.
public protocol Objective: Sendable {
    /// The registry name, e.g. "reflection"; also the key in metrics (`rewards/<name>/mean`).
    var name: String { get }
    /// One score in [0, 1] per (prompt, response) pair; `prompts` are the client statements.
    func score(prompts: [String], responses: [String]) throws -> [Double]
}
