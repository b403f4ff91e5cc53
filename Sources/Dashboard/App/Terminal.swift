/// A screen that also delivers input: the real terminal, or a scripted one in benches and tests.
public protocol Terminal: Screen {
    /// The next input, waiting up to `timeoutMilliseconds` (0: do not wait); nil when none came.
    func readEvent(timeoutMilliseconds: Int32) -> InputEvent?
    /// Gives the terminal back.
    func close()
}

extension CursesScreen: Terminal {}
