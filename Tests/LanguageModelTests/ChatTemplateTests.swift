import Testing
import LanguageModel

/// ChatML rendering as SmolLM2-Instruct's template does it.
@Suite struct ChatTemplateTests {
    let template = ChatTemplate.smolLM2

    @Test func insertsTheDefaultSystemMessageBeforeAUserFirstConversation() {
        #expect(template.render([.user("Hi")], addGenerationPrompt: false) == """
            <|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            <|im_start|>user
            Hi<|im_end|>

            """)
    }

    @Test func keepsAGivenSystemMessageAndOpensTheAssistantTurn() {
        #expect(template.render([.system("Be brief."), .user("Hi"), .assistant("Hello."), .user("Bye")]) == """
            <|im_start|>system
            Be brief.<|im_end|>
            <|im_start|>user
            Hi<|im_end|>
            <|im_start|>assistant
            Hello.<|im_end|>
            <|im_start|>user
            Bye<|im_end|>
            <|im_start|>assistant

            """)
    }

    @Test func anEmptyConversationIsOnlyTheGenerationPrompt() {
        #expect(template.render([]) == "<|im_start|>assistant\n")
        #expect(template.render([], addGenerationPrompt: false) == "")
    }

    @Test func noDefaultSystemMessageWhenNoneIsConfigured() {
        #expect(ChatTemplate(defaultSystemPrompt: nil).render([.user("Hi")], addGenerationPrompt: false)
                == "<|im_start|>user\nHi<|im_end|>\n")
    }
}
