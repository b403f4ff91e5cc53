import CCurses
import Synchronization

/// Puts the terminal back (mouse tracking off, ncurses ended) on every exit path:
/// normal teardown, `exit`, SIGINT, SIGTERM, SIGHUP and SIGQUIT.
///
/// The signal path calls `endwin` and `write`, as curses programs commonly do, then re-raises
/// the signal with its default action so the exit status tells what happened.
public enum TerminalRestorer {
    /// Escape sequence that turns off button-event mouse tracking (`\e[?1002h`).
    static let mouseTrackingOff = "\u{1B}[?1002l"
    static let mouseTrackingOn = "\u{1B}[?1002h"

    /// Whether ncurses is up and needs restoring.
    private static let active = Atomic<Bool>(false)
    private static let installed = Atomic<Bool>(false)

    /// The signals after which the terminal is restored.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Marks the terminal as taken over and installs the handlers (once per process).
    static func arm() {
        active.store(true, ordering: .sequentiallyConsistent)
        guard !installed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        atexit { TerminalRestorer.restore() }
        for number in signals {
            signal(number) { received in
                TerminalRestorer.restore()
                emorl_reraise_default(received)
            }
        }
    }

    /// Restores the terminal if it is taken over; safe to call any number of times, from any path.
    public static func restore() {
        guard active.exchange(false, ordering: .sequentiallyConsistent) else { return }
        mouseTrackingOff.withCString { _ = write(STDOUT_FILENO, $0, strlen($0)) }
        endwin()
    }
}
