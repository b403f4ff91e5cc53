import Synchronization

/// The thread-safe handoff from a worker to the UI thread: the latest value posted, taken once.
///
/// A worker posts whole snapshots, so a newer one replaces an older one that was not drawn yet
/// (the UI never falls behind a fast worker).
public final class Mailbox<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    public init() {}

    /// Replaces whatever is waiting with `value`.
    public func post(_ value: Value) {
        slot.withLock { $0 = value }
    }

    /// The value waiting, if any; the mailbox is empty afterwards.
    public func take() -> Value? {
        slot.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
