import Dispatch
import Synchronization

/// Input posted from any thread to a `ScriptedTerminal`, in order.
public final class EventQueue: Sendable {
    private let events = Mutex<[InputEvent]>([])
    private let arrived = DispatchSemaphore(value: 0)

    public init() {}

    /// Queues `event` for the terminal's next read.
    public func post(_ event: InputEvent) {
        events.withLock { $0.append(event) }
        arrived.signal()
    }

    /// The oldest event, waiting up to `milliseconds` for one.
    func next(waiting milliseconds: Int32) -> InputEvent? {
        if let event = pop() { return event }
        guard milliseconds > 0, arrived.wait(timeout: .now() + .milliseconds(Int(milliseconds))) == .success else { return nil }
        return pop()
    }

    private func pop() -> InputEvent? {
        events.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

/// A terminal without a terminal: frames go to a `CellGrid`, input comes from an `EventQueue`.
/// Benches and tests drive the real app loop with it.
public final class ScriptedTerminal: Terminal {
    public let grid: CellGrid
    public let input: EventQueue

    public init(size: Size, input: EventQueue = EventQueue()) {
        grid = CellGrid(size: size)
        self.input = input
    }

    public var size: Size { grid.size }
    public var supportsUnicode: Bool { grid.supportsUnicode }
    public func put(_ text: String, x: Int, y: Int, style: Style) { grid.put(text, x: x, y: y, style: style) }
    public func clear(style: Style) { grid.clear(style: style) }
    public func flush() { grid.flush() }
    public func readEvent(timeoutMilliseconds: Int32) -> InputEvent? { input.next(waiting: timeoutMilliseconds) }
    public func close() {}
}
