import Foundation

/// The chat prompt that asks the model for a reflection of one client statement.
public struct CounselorPrompt: Sendable, Equatable {
    /// The counselor instruction sent as the system message.
    public let systemPrompt: String

    public init(systemPrompt: String) {
        self.systemPrompt = systemPrompt
    }

    /// Reads the system prompt from a text file (surrounding whitespace trimmed).
    public init(contentsOf file: URL) throws {
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw CounselorPromptError(path: file.path, reason: "cannot read the system prompt: \(error.localizedDescription)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CounselorPromptError(path: file.path, reason: "the system prompt file is empty") }
        self.init(systemPrompt: trimmed)
    }

    /// The ChatML text for `client`, ending where the counselor's answer begins.
    public func text(client: String, template: ChatTemplate = .smolLM2) -> String {
        template.render([.system(systemPrompt), .user(client)], addGenerationPrompt: true)
    }

    /// The prompt token ids for `client`.
    public func tokens(client: String, tokenizer: any Tokenizer, template: ChatTemplate = .smolLM2) -> [Int] {
        tokenizer.encode(text(client: client, template: template))
    }
}

/// A system prompt file that cannot be used.
public struct CounselorPromptError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
