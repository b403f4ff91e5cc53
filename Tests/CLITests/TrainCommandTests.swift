import Foundation
import LanguageModel
import Testing
import Training

/// `emorl train` as a user runs it: the real binary, a tiny model, the toy external scorer.
@Suite(.serialized) struct TrainCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary `swift build` made; the test fails (never skips) without it.
    func binary() throws -> URL {
        let url = Self.packageRoot.appendingPathComponent(".build/debug/emorl")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CLITestError("no binary at \(url.path): run `swift build` first")
        }
        return url
    }

    /// A tiny model file and the train arguments for it.
    func setup() throws -> (folder: URL, arguments: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try TinyLlama.write(to: folder.appendingPathComponent("tiny.gguf"), seed: 5)
        let scorer = Self.packageRoot.appendingPathComponent("Tests/ObjectivesTests/Fixtures/toy_scorer.py").path
        return (folder, ["train", "--model", folder.appendingPathComponent("tiny.gguf").path, "--objective", "external:python3 \(scorer)",
                         "--top-blocks", "2", "--prompts-per-step", "3", "--samples-per-prompt", "2", "--max-new-tokens", "8",
                         "--validate-every", "2", "--validation-prompts", "2", "--checkpoint-every", "1", "--seed", "3"])
    }

    /// Starts the binary; output goes to a file (never a pipe that could fill up).
    func start(_ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// The text of a log file in `folder` (empty if unreadable).
    func log(_ folder: URL, _ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    func runToEnd(_ arguments: [String], log: URL) throws -> Int32 {
        let process = try start(arguments, log: log)
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func sigkillMidRunThenResumeEqualsAnUninterruptedRun() throws {
        let (folder, arguments) = try setup()
        let whole = folder.appendingPathComponent("whole"), parts = folder.appendingPathComponent("parts")
        let status = try runToEnd(arguments + ["--run", whole.path, "--steps", "8"], log: folder.appendingPathComponent("whole.log"))
        #expect(status == 0, "\(log(folder, "whole.log"))")

        // Kill the second run with SIGKILL once it has checkpointed a few steps but not finished.
        let process = try start(arguments + ["--run", parts.path, "--steps", "8"], log: folder.appendingPathComponent("parts.log"))
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let state = try? TrainerState.load(from: parts.appendingPathComponent("trainer_state.json")), state.step >= 3 { break }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let killedAt = try TrainerState.load(from: parts.appendingPathComponent("trainer_state.json")).step
        #expect(killedAt >= 3 && killedAt < 8, "the run was killed mid-way (at step \(killedAt))")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parts.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.allSatisfy { $0.contains(".tmp") }, "only temp files can be left by a kill: \(leftovers)")

        let resumed = try runToEnd(arguments + ["--run", parts.path, "--steps", "8", "--resume"], log: folder.appendingPathComponent("resume.log"))
        #expect(resumed == 0, "\(log(folder, "resume.log"))")
        var a = try TrainerState.load(from: whole.appendingPathComponent("trainer_state.json"))
        var b = try TrainerState.load(from: parts.appendingPathComponent("trainer_state.json"))
        (a.seconds, b.seconds) = (0, 0)
        #expect(a.step == 8 && a == b, "the resumed run's state differs from the uninterrupted run's")
        let metrics = { (url: URL) in RunDirectory(url: url).metrics().map { "\($0.step) \($0.reward) \($0.objectiveMeans) \($0.validationMean ?? -1)" } }
        #expect(metrics(whole) == metrics(parts))
    }

    @Test func refusesToOverwriteARunAndUnknownObjectives() throws {
        let (folder, arguments) = try setup()
        let run = folder.appendingPathComponent("run")
        #expect(try runToEnd(arguments + ["--run", run.path, "--steps", "1"], log: folder.appendingPathComponent("a.log")) == 0)
        #expect(try runToEnd(arguments + ["--run", run.path, "--steps", "2"], log: folder.appendingPathComponent("b.log")) != 0)
        #expect(log(folder, "b.log").contains("--resume"))
        var unknown = arguments
        unknown[unknown.firstIndex(of: "--objective")! + 1] = "kindness"
        #expect(try runToEnd(unknown + ["--run", folder.appendingPathComponent("other").path], log: folder.appendingPathComponent("c.log")) != 0)
        #expect(log(folder, "c.log").contains("unknown objective \"kindness\""))
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
