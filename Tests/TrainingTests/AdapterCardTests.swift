import Foundation
import LanguageModel
@testable import Training
import Testing

@Suite struct AdapterCardTests {
    @Test func shippingCopiesTheAdapterWithACardFromTheRun() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        try setup.trainer(run).train(maxSteps: 4)
        let destination = try temporaryFolder()
        let folder = try run.ship(to: destination)

        #expect(folder.lastPathComponent == "letters")
        let shipped = try PEFTAdapter.load(from: folder, model: setup.model.config)
        #expect(shipped.parameters == (try TrainerState.load(from: run.stateFile)).parameters.values)
        let card = try String(contentsOf: folder.appendingPathComponent("card.md"), encoding: .utf8)
        let validations = run.metrics().compactMap(\.validationMean)
        #expect(validations.count == 2)
        #expect(card.contains("| steps | 4 |") && card.contains("| data points | 12 prompts |"))
        #expect(card.contains("2: \(String(format: "%.3f", validations[0])), 4: \(String(format: "%.3f", validations[1]))"))
        let sampled = run.metrics().compactMap(\.sampledValidationMean)
        #expect(card.contains("Every sampled validation: 2: \(String(format: "%.3f", sampled[0])), 4: \(String(format: "%.3f", sampled[1]))."))
        #expect(card.contains("`emorl train --objective letters --top-blocks 2 --seed 9 --steps 4 --run runs/seed9/letters`"))

        // Shipping again replaces the folder whole, and leaves no staging folder behind.
        try setup.trainer(run).train(maxSteps: 6)
        try run.ship(to: destination)
        #expect(try String(contentsOf: folder.appendingPathComponent("card.md"), encoding: .utf8).contains("| steps | 6 |"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == ["letters"])
    }

    @Test func theCardDescribesTheCheckpointNotLaterSteps() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        var config = setup.config
        config.checkpointEvery = 4
        try setup.trainer(run, config: config).train(maxSteps: 5)
        try run.appendLine(#"{"step":6,"reward":-1}"#, to: run.metricsFile)     // a step past the checkpoint
        let card = try AdapterCard(run: run)
        #expect(card.metrics.map(\.step) == [1, 2, 3, 4, 5])                     // the last step checkpoints too
        #expect(card.markdown.contains("| steps | 5 |"))
    }

    @Test func aRunWithoutCheckpointIsRefused() throws {
        let setup = try TinySetup()
        let run = RunDirectory(url: try temporaryFolder())
        try run.create(config: setup.config, model: setup.fingerprint)
        #expect(throws: TrainingError.runDirectory(path: run.url.path, reason: "no checkpoint (trainer_state.json): nothing to ship")) {
            try run.ship(to: try temporaryFolder())
        }
        #expect(throws: TrainingError.self) { try RunDirectory(url: try temporaryFolder()).ship(to: try temporaryFolder()) }
    }
}
