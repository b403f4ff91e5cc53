import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server for end-to-end tests: its own socket, no config, clean signal state.
///
/// Commands are started with `posix_spawn`, signal mask emptied and dispositions reset (children of a
/// test process may inherit blocked signals otherwise); output goes to a file, never a pipe, because
/// the server `new-session` forks keeps it open for its whole life. The program under test leaves its
/// standard error and exit status in files, so a wait fails as soon as it has ended, with both.
struct TmuxSession {
    let socket = "emorl-test-\(getpid())"
    let name = "e2e"
    /// Where the program started by `start` writes its standard error.
    var errorFile: URL { FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).stderr") }
    /// Where its exit status is written when it ends.
    var statusFile: URL { FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).status") }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `tmux -L socket -f /dev/null <arguments>` and returns what it printed.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try Self.spawn(["/usr/bin/env", "tmux", "-L", socket, "-f", "/dev/null"] + arguments, output: output.path)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(description: "tmux \(arguments.joined(separator: " ")) exited \(status): \(text)") }
        return text
    }

    /// Starts a detached session of `width`×`height` running `program` in a shell, its standard error into
    /// `errorFile`; once it ends, its status goes to `statusFile` and on screen as `EXIT <status>`, then `after` runs.
    func start(_ program: String, then after: String, width: Int, height: Int) throws {
        try? FileManager.default.removeItem(at: statusFile)
        let command = "\(program) 2>'\(errorFile.path)'; s=$?; echo $s >'\(statusFile.path)'; echo \"EXIT $s\"; \(after)"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
    }

    /// The program's exit status and standard error once it has ended; nil while it runs.
    func ended() -> (status: String, stderr: String)? {
        guard let status = try? String(contentsOf: statusFile, encoding: .utf8), status.hasSuffix("\n") else { return nil }
        return (status.trimmingCharacters(in: .whitespacesAndNewlines), (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }

    /// The visible pane as text.
    func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// Sends tmux key names (`Escape`, `S-Left`, `q`, …).
    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Sends raw bytes, e.g. a mouse report, as the terminal would.
    func bytes(_ text: String) throws { try tmux(["send-keys", "-t", name, "-H"] + text.utf8.map { String($0, radix: 16) }) }

    /// An SGR (1006) mouse report for button 1 at the 0-based cell (x, y): press, drag or release.
    func mouse(_ kind: String, x: Int, y: Int) throws {
        let code = kind == "drag" ? 32 : 0
        try bytes("\u{1B}[<\(code);\(x + 1);\(y + 1)\(kind == "release" ? "m" : "M")")
    }

    /// A pane format variable, e.g. `#{mouse_sgr_flag}`.
    func format(_ variable: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, variable]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func kill() {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: statusFile)
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// Waits up to `seconds` for the screen to satisfy `condition`; the last capture either way. Unless
    /// `exitExpected`, fails as soon as the program has ended, with its status and standard error.
    func wait(_ seconds: Double, for what: String, exitExpected: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            if !exitExpected, let (status, stderr) = ended() {
                throw Failure(description: "the program exited with status \(status) while waiting for \(what); "
                              + "its standard error:\n\(stderr)\nthe screen:\n\(screen)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out after \(seconds) s waiting for \(what); the screen:\n\(screen)")
    }

    // MARK: - Spawning

    private static func spawn(_ argv: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard result == 0 else { throw Failure(description: "cannot start \(argv[0]): error \(result)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xff
    }
}
