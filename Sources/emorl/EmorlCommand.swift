import ArgumentParser

/// The `emorl` executable: subcommands only; the logic lives in the modules below.
struct EmorlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emorl",
        abstract: "Ensemble multi-objective RL for counselor reflections on a small LLM.",
        subcommands: [DashboardCommand.self, GenerateCommand.self, ScoreCommand.self, ScorersCommand.self, TrainCommand.self, ShipCommand.self, SearchCommand.self, EvalCommand.self,
                      BenchCommand.self],
        defaultSubcommand: DashboardCommand.self
    )
}
