import Foundation
import Testing
@testable import Objectives

/// The JSON-lines protocol against the toy Python scorer in Fixtures/.
struct ExternalObjectiveTests {
    /// An objective running the toy scorer in `mode`.
    func toy(_ mode: String) throws -> ExternalObjective {
        ExternalObjective(command: "python3 '\(try Assets.fixture("toy_scorer.py"))' \(mode)")
    }

    @Test func scoresBatchesInOrderAndKeepsTheProcess() throws {
        let objective = try toy("length")
        #expect(objective.name.hasPrefix("external:python3"))
        let responses = ["one two", "a b c d e f g h i j", String(repeating: "word ", count: 30), "can/slash \"quoted\"\nnewline"]
        let scores = try objective.score(prompts: Array(repeating: "client", count: 4), responses: responses)
        #expect(scores == [0.1, 0.5, 1.0, 0.15])
        #expect(try objective.score(prompts: ["c"], responses: ["x"]) == [0.05])
        #expect(try objective.score(prompts: [], responses: []) == [])
    }

    @Test(arguments: [
        ("error", "reported an error: the toy scorer refuses"),
        ("die", "exited with status 3"),
        ("malformed", "not {\"scores\": [numbers]}"),
        ("short", "replied with 1 scores for a batch of 2"),
        ("range", "score 2.0 at position 0, outside [0, 1]"),
    ])
    func misbehaviourIsAClearError(mode: String, message: String) throws {
        let objective = try toy(mode)
        do {
            _ = try objective.score(prompts: ["a", "b"], responses: ["x y", "z"])
            Issue.record("mode \(mode) gave scores")
        } catch let error as ExternalScorerError {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.contains("toy_scorer.py"))
        }
    }

    @Test func aMissingCommandIsAClearError() throws {
        let objective = ExternalObjective(command: "emorl-no-such-scorer-command")
        for expected in ["status 127 (command not found?)", "is not running"] {
            do {
                _ = try objective.score(prompts: ["a"], responses: ["b"])
                Issue.record("a missing command gave scores")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
