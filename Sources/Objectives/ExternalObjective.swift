import Foundation

/// An objective computed by another program, so users can plug in their own scorer (a bigger model, an API,
/// a human in the loop).
///
/// The program is started once, by `/bin/sh -c <command>`, on the first batch, and kept running. It speaks
/// JSON lines (UTF-8, one JSON object per line, `\n`-terminated):
///
///     request (emorl → scorer): {"prompts": ["<client statement>", …], "responses": ["<response>", …]}
///     reply   (scorer → emorl): {"scores": [0.73, …]}     one number in [0, 1] per pair, in order
///                          or: {"error": "<message>"}     the batch failed; emorl reports the message
///
/// One reply per request, in order. The scorer's stderr passes through to emorl's. When the objective is
/// released, emorl closes the scorer's stdin and sends it SIGTERM. Process death, a reply that is not such
/// an object, a wrong number of scores, or a score outside [0, 1] fail the batch with an `ExternalScorerError`.
/// A scorer that never replies blocks the caller.
public final class ExternalObjective: Objective, @unchecked Sendable {
    /// The registry name prefix: `external:<command>`.
    public static let prefix = "external:"

    public let name: String
    /// The shell command that runs the scorer.
    public let command: String
    private let lock = NSLock()
    private var process: Process?
    private var input: FileHandle?
    private var output: FileHandle?
    private var buffered = Data()

    /// An objective backed by `command` (run by `/bin/sh -c`); nothing starts until the first batch.
    public init(command: String) {
        self.command = command
        self.name = Self.prefix + command
    }

    deinit {
        try? input?.close()
        if let process, process.isRunning { process.terminate() }
    }

    /// Sends one request line and reads the reply line (see the type's documentation for the protocol).
    public func score(prompts: [String], responses: [String]) throws -> [Double] {
        precondition(prompts.count == responses.count, "\(prompts.count) prompts for \(responses.count) responses")
        guard !prompts.isEmpty else { return [] }
        return try lock.withLock {
            try startIfNeeded()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let request = try encoder.encode(Request(prompts: prompts, responses: responses)) + Data("\n".utf8)
            do { try input!.write(contentsOf: request) } catch {
                throw failure("cannot send the batch: \(exitDescription(waitingForExit: true))")
            }
            guard let line = readLine() else {
                throw failure("closed its output before replying: \(exitDescription(waitingForExit: true))")
            }
            return try scores(in: line, expected: prompts.count)
        }
    }

    // MARK: - Protocol

    /// One request line.
    private struct Request: Encodable {
        let prompts: [String]
        let responses: [String]
    }

    /// One reply line: exactly one of the two fields.
    private struct Reply: Decodable {
        let scores: [Double]?
        let error: String?
    }

    /// The scores of a reply line, checked for count and range.
    private func scores(in line: Data, expected count: Int) throws -> [Double] {
        let shown = String(decoding: line.prefix(200), as: UTF8.self) + (line.count > 200 ? "…" : "")
        guard let reply = try? JSONDecoder().decode(Reply.self, from: line) else {
            throw failure("replied with a line that is not {\"scores\": [numbers]} or {\"error\": \"…\"}: \(shown)")
        }
        if let message = reply.error { throw failure("reported an error: \(message)") }
        guard let scores = reply.scores else {
            throw failure("replied without \"scores\" or \"error\": \(shown)")
        }
        guard scores.count == count else {
            throw failure("replied with \(scores.count) scores for a batch of \(count)")
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 > 1 }) {
            throw failure("replied with score \(scores[bad]) at position \(bad), outside [0, 1]")
        }
        return scores
    }

    // MARK: - Process

    /// Starts the scorer unless it is running; a scorer that has exited is not restarted.
    private func startIfNeeded() throws {
        if let process {
            guard process.isRunning else { throw failure("is not running: \(exitDescription(waitingForExit: false))") }
            return
        }
        signal(SIGPIPE, SIG_IGN)    // a scorer that dies mid-request must give an error, not kill emorl
        let process = Process()
        let stdin = Pipe(), stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardInput = stdin
        process.standardOutput = stdout
        do { try process.run() } catch {
            throw failure("cannot be started: \(error.localizedDescription)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    /// The next `\n`-terminated line of the scorer's output (without the newline), or nil at end of output.
    private func readLine() -> Data? {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[(newline + 1)...])
                return Data(line)
            }
            let chunk = output!.availableData     // blocks until some bytes arrive; empty at end of output
            guard !chunk.isEmpty else { return nil }
            buffered.append(chunk)
        }
    }

    /// How the scorer ended, e.g. `exited with status 3`.
    private func exitDescription(waitingForExit: Bool) -> String {
        guard let process else { return "never started" }
        if waitingForExit { process.waitUntilExit() }
        guard !process.isRunning else { return "still running" }
        let status = process.terminationStatus
        switch process.terminationReason {
        case .uncaughtSignal: return "killed by signal \(status)"
        case .exit where status == 127: return "exited with status 127 (command not found?)"
        default: return "exited with status \(status)"
        }
    }

    private func failure(_ reason: String) -> ExternalScorerError {
        ExternalScorerError(command: command, reason: reason)
    }
}

/// An external scorer that failed a batch; the message names the command and what went wrong.
public struct ExternalScorerError: Error, CustomStringConvertible, Equatable {
    public let command: String
    public let reason: String

    public var description: String { "external scorer `\(command)` \(reason)" }
}
