import ArgumentParser
import Corpus
import Foundation
import Objectives

/// `emorl scorers …`: the learned scorers' heads.
struct ScorersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorers",
        abstract: "Train the reflection and empathy scorer heads.",
        subcommands: [ScorersTrainCommand.self]
    )
}

/// `emorl scorers train`: trains on AnnoMI and EPITOME and prints the held-out metrics.
struct ScorersTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the scorer heads on AnnoMI and EPITOME; write data/scorers/<name>.json and .md; print held-out metrics."
    )

    @Option(name: .long, help: "The folder with annomi/ and epitome/ (default: $EMORL_DATASETS, else ../shared/datasets).")
    var datasets: String?

    @Option(name: .long, help: "Where to write the heads and cards (default: the data directory's scorers/).")
    var output: String?

    @Option(name: .long, help: "Seed of the splits and draws.")
    var seed: UInt64 = ScorerTraining.defaultSeed

    func run() throws {
        let output = output.map { URL(fileURLWithPath: $0) } ?? DataDirectory.locate().appendingPathComponent("scorers")
        let training = ScorerTraining(datasets: DatasetDirectory(flag: datasets), output: output, seed: seed)
        let files = try training.run { line in
            FileHandle.standardError.write(Data(("emorl: " + line + "\n").utf8))
        }
        for file in files {
            print("\(file.objective) (held out; written to \(HeadFile.url(objective: file.objective, in: output).path))")
            for line in ScorerCard(file: file).metricLines { print("  " + line) }
            for (key, value) in file.parameters.sorted(by: { $0.key < $1.key }) { print("  parameter \(key) = \(value)") }
        }
    }
}
