import ArgumentParser
import Corpus
import Foundation
import Training

/// `emorl ship`: copies a run's adapter with its card into the adapters that ship with emorl.
struct ShipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ship",
        abstract: "Copy a run's adapter and a card describing it into data/adapters/<name>/.",
        discussion: "The card (card.md) gives the config, steps, data points, seconds, the validation curve and the command that reproduces the adapter."
    )

    @Option(name: .customLong("run"), help: "The run directory (emorl train --run).")
    var runPath: String

    @Option(name: .customLong("to"), help: "The folder of shipped adapters (default: data/adapters).")
    var destinationPath: String?

    func run() throws {
        let destination = destinationPath.map { URL(fileURLWithPath: $0) }
            ?? DataDirectory.locate().appendingPathComponent("adapters")
        let folder = try RunDirectory(url: URL(fileURLWithPath: runPath)).ship(to: destination)
        print("shipped \(folder.path)")
    }
}
