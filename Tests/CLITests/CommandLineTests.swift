import ArgumentParser
@testable import emorl
import Foundation
import Testing

/// Flags and values the CLI must refuse, each with a message naming the flag.
@Suite struct CommandLineTests {
    /// The message `emorl args…` fails with, or nil if it parses and validates.
    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try EmorlCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return EmorlCommand.message(for: error)
        }
    }

    @Test(arguments: [
        (["generate", "hi", "--temperature", "-1"], "--temperature"),
        (["generate", "hi", "--temperature", "nan"], "--temperature"),
        (["generate", "hi", "--top-k", "-2"], "--top-k"),
        (["generate", "hi", "--top-p", "0"], "--top-p"),
        (["generate", "hi", "--top-p", "1.5"], "--top-p"),
        (["generate", "hi", "--max-tokens", "0"], "--max-tokens"),
        (["generate", "hi", "--threads", "0"], "--threads"),
        (["generate", "hi", "--seed", "minus one"], "--seed"),
        (["generate", "hi", "--bogus"], "--bogus"),
        (["generate", "   "], "empty"),
        (["bench", "generate", "--runs", "0"], "--runs"),
    ])
    func refusesBadFlags(arguments: [String], named: String) {
        let message = failure(arguments)
        #expect(message != nil, "\(arguments) was accepted")
        #expect(message?.contains(named) == true, "message was: \(message ?? "")")
    }

    @Test func acceptsGoodFlags() {
        #expect(failure(["generate", "I feel tired.", "--temperature", "0", "--top-k", "0", "--top-p", "0.9", "--max-tokens", "3"]) == nil)
    }

    @Test func missingModelSaysHowToFetchIt() throws {
        let command = try GenerateCommand.parse(["hi", "--model", "/nonexistent/model.gguf"])
        #expect(throws: (any Error).self) { _ = try command.modelOptions.modelPath() }
        do { _ = try command.modelOptions.modelPath() } catch {
            #expect("\(error)".contains("scripts/setup") && "\(error)".contains("/nonexistent/model.gguf"))
        }
    }
}
