import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts the dashboard's background threads, each at a scheduling priority below the UI thread's.
///
/// On two cores the UI must answer a key while generation and training keep both cores busy: Linux
/// lets a thread lower its own priority (`nice`), so workers do, and the UI thread stays at 0.
public enum WorkerThread {
    /// How much lower than the UI a worker runs: generation a little, search and training more.
    public enum Priority: Int32, Sendable {
        case interactive = 2
        case background = 10
    }

    /// Runs `body` on a new thread named `name` at `priority`.
    public static func start(_ name: String, priority: Priority, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            #if os(Linux)
            // On Linux, `who` 0 with PRIO_PROCESS means the calling thread, not the whole process.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, priority.rawValue)
            #endif
            body()
        }
        thread.name = name
        thread.stackSize = 16 << 20
        thread.start()
    }
}
