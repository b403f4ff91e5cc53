import ArgumentParser
import Foundation
import Objectives

/// `emorl score`: scores client/response pairs with one objective.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a response to a client statement with an objective (or JSON lines on stdin with --jsonl)."
    )

    @Option(name: .long, help: "reflection, empathy, fluency or external:<command>.")
    var objective: String

    @Flag(name: .long, help: "Read {\"prompt\", \"response\"} lines on stdin; write {\"prompt\", \"response\", \"score\"} lines.")
    var jsonl = false

    @Argument(help: "What the client said (without --jsonl).")
    var client: String?

    @Argument(help: "The counselor's response (without --jsonl).")
    var response: String?

    @Option(name: .customLong("batch-size"), help: "Lines scored together in --jsonl mode.")
    var batchSize: Int = 64

    func validate() throws {
        if jsonl {
            guard client == nil, response == nil else { throw ValidationError("--jsonl reads stdin: give no client or response arguments") }
        } else {
            guard client != nil, response != nil else { throw ValidationError("give a client statement and a response, or --jsonl") }
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be 1 or more, got \(batchSize)") }
    }

    func run() throws {
        let scorer = try ObjectiveRegistry().objective(named: objective)
        guard jsonl else {
            print(String(format: "%.4f", try scorer.score(prompts: [client!], responses: [response!])[0]))
            return
        }
        var batch: [ScoredLine] = []
        var lineNumber = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let scores = try scorer.score(prompts: batch.map(\.prompt), responses: batch.map(\.response))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for (line, score) in zip(batch, scores) {
                var scored = line
                scored.score = score
                print(String(decoding: try encoder.encode(scored), as: UTF8.self))
            }
            batch.removeAll()
        }
        while let line = readLine() {
            lineNumber += 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let parsed = try? JSONDecoder().decode(ScoredLine.self, from: Data(line.utf8)), parsed.score == nil else {
                throw ValidationError("stdin line \(lineNumber): expected {\"prompt\": \"…\", \"response\": \"…\"}, got \(line.prefix(80))")
            }
            batch.append(parsed)
            if batch.count == batchSize { try flush() }
        }
        try flush()
    }
}

/// One JSONL line: a pair in, the pair and its score out.
struct ScoredLine: Codable {
    var prompt: String
    var response: String
    var score: Double?
}
