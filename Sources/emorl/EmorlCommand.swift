import ArgumentParser

/// The `emorl` executable: subcommands only; the logic lives in the modules below.
@main
struct EmorlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emorl",
        abstract: "Ensemble multi-objective RL for counselor reflections on a small LLM.",
        subcommands: [GenerateCommand.self, ScoreCommand.self, ScorersCommand.self, BenchCommand.self]
    )
}
