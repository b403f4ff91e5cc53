import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One of the dashboard's background threads, running at a scheduling priority below the UI thread's;
/// it can be waited for once it was asked to end.
///
/// On two cores the UI must answer a key while generation and training keep both cores busy: Linux
/// lets a thread lower its own priority (`nice`), so workers do, and the UI thread stays at 0. Threads a
/// worker starts (the quantized engine's kernel pool) inherit its priority.
public final class WorkerThread: Sendable {
    /// How much lower than the UI a worker runs: generation a little, search and training more.
    public enum Priority: Int32, Sendable {
        case interactive = 2
        case background = 10
    }

    private let ended = DispatchSemaphore(value: 0)

    private init() {}

    /// Runs `body` on a new thread named `name` at `priority`.
    @discardableResult
    public static func start(_ name: String, priority: Priority, _ body: @escaping @Sendable () -> Void) -> WorkerThread {
        let worker = WorkerThread()
        let thread = Thread {
            #if os(Linux)
            // On Linux, `who` 0 with PRIO_PROCESS means the calling thread, not the whole process.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, priority.rawValue)
            #endif
            body()
            worker.ended.signal()
        }
        thread.name = name
        thread.stackSize = 16 << 20
        thread.start()
        return worker
    }

    /// Waits up to `seconds` for the thread to end; whether it did.
    public func join(seconds: Double) -> Bool {
        guard ended.wait(timeout: .now() + seconds) == .success else { return false }
        ended.signal()          // ended for good: later joins return at once
        return true
    }
}
