/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// Who speaks: "system", "user" or "assistant".
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

/// ChatML prompts: `<|im_start|>{role}\n{content}<|im_end|>\n` per message, as SmolLM2-Instruct's template renders them.
public struct ChatTemplate: Sendable, Equatable {
    /// The system message put first when a conversation does not begin with one; nil puts none.
    public var defaultSystemPrompt: String?

    public init(defaultSystemPrompt: String?) {
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// SmolLM2-Instruct's template (`tokenizer.chat_template` of its GGUF).
    public static let smolLM2 = ChatTemplate(
        defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")

    /// The prompt text of `messages`; with `addGenerationPrompt`, it ends by opening the assistant's turn.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var turns = messages
        if let first = messages.first, first.role != "system", let defaultSystemPrompt {
            turns.insert(.system(defaultSystemPrompt), at: 0)
        }
        var text = turns.map { "<|im_start|>\($0.role)\n\($0.content)<|im_end|>\n" }.joined()
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }
}
