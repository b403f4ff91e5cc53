/// One key binding: the keys, what they do, a description for help, where they apply.
public struct Binding: Hashable, Sendable {
    public var keys: [Key]
    public var action: Action
    public var description: String
    public var context: KeyContext
    /// The short name the bottom bar shows, nil when the bar leaves it out.
    public var barLabel: String?

    /// The keys as one label, e.g. `left/h`.
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The one table of key bindings; help and the bottom bar are generated from it.
public struct KeyTable: Sendable {
    public let bindings: [Binding]

    public init(bindings: [Binding]) {
        self.bindings = bindings
    }

    // MARK: - Lookup

    /// The action of `key` in `context`; non-modal contexts fall back to global bindings.
    public func action(for key: Key, in context: KeyContext) -> Action? {
        if let binding = binding(for: key, in: context) { return binding.action }
        return context.isModal ? nil : binding(for: key, in: .global)?.action
    }

    /// The bindings of `context` in table order.
    public func bindings(in context: KeyContext) -> [Binding] {
        bindings.filter { $0.context == context }
    }

    /// The bindings the bottom bar shows in `context`: the context's own, then the global ones.
    public func barBindings(in context: KeyContext) -> [Binding] {
        let own = bindings(in: context).filter { $0.barLabel != nil }
        return context.isModal ? own : own + bindings(in: .global).filter { $0.barLabel != nil }
    }

    /// Keys bound twice where both bindings can apply at once: within one context, or a panel and global.
    public func clashes() -> [(Key, Binding, Binding)] {
        var found: [(Key, Binding, Binding)] = []
        for context in KeyContext.allCases {
            let active = bindings(in: context) + (context.isModal || context == .global ? [] : bindings(in: .global))
            var seen: [Key: Binding] = [:]
            for binding in active {
                for key in binding.keys {
                    if let first = seen[key], first != binding || binding.keys.filter({ $0 == key }).count > 1 {
                        found.append((key, first, binding))
                    }
                    seen[key] = binding
                }
            }
        }
        return found
    }

    private func binding(for key: Key, in context: KeyContext) -> Binding? {
        bindings.first { $0.context == context && $0.keys.contains(key) }
    }

    // MARK: - The table

    /// The dashboard's key bindings: `q` quits, `?` helps, `esc` backs out, arrows and vim keys move.
    public static let standard = KeyTable(bindings: [
        bind([.character("q"), .control("c")], .quit, "quit (asks when training would be lost)", .global, bar: "quit"),
        bind([.character("?")], .toggleHelp, "show or hide this help", .global, bar: "help"),
        bind([.escape], .back, "back out: close, cancel, unfocus", .global),
        bind([.tab], .focusNext, "focus the next panel", .global, bar: "focus"),
        bind([.backTab], .focusPrevious, "focus the previous panel", .global),
        bind([.character("t")], .cycleTheme, "next colour theme", .global),

        bind([.up, .character("k")], .selectPreviousObjective, "select the previous objective", .training),
        bind([.down, .character("j")], .selectNextObjective, "select the next objective", .training),
        bind([.character("s")], .startTraining, "start training the selected objective", .training, bar: "start"),
        bind([.character("p")], .pauseOrResumeTraining, "pause or resume its training", .training, bar: "pause"),
        bind([.character("x")], .stopTraining, "stop its training", .training, bar: "stop"),
        bind([.character("+"), .character("=")], .zoomIn, "zoom in on time", .training),
        bind([.character("-")], .zoomOut, "zoom out on time", .training),
        bind([.left, .character("h")], .scrollBack, "scroll back in time", .training),
        bind([.right, .character("l")], .scrollForward, "scroll forward in time", .training),
        bind([.character("r")], .toggleSmoothing, "curves: raw or smoothed", .training, bar: "smooth"),

        bind([.up, .character("k")], .selectPreviousObjective, "select the previous slider", .weights),
        bind([.down, .character("j")], .selectNextObjective, "select the next slider", .weights),
        bind([.left, .character("h")], .decreaseWeight, "weight -0.01", .weights, bar: "less"),
        bind([.right, .character("l")], .increaseWeight, "weight +0.01", .weights, bar: "more"),
        bind([.shiftLeft, .character("H")], .decreaseWeightLarge, "weight -0.1", .weights),
        bind([.shiftRight, .character("L")], .increaseWeightLarge, "weight +0.1", .weights),
        bind([.enter, .character("e")], .enterWeight, "type the weight", .weights, bar: "type"),
        bind([.character("m")], .cycleAggregation, "aggregation: hidden, logits, parameters", .weights, bar: "mode"),

        bind([.down, .character("j")], .nextPrompt, "next client statement", .reflection, bar: "next"),
        bind([.up, .character("k")], .previousPrompt, "previous client statement", .reflection),
        bind([.enter, .character("i")], .typePrompt, "type your own client statement", .reflection, bar: "type"),
        bind([.character("g")], .regenerate, "generate again", .reflection),
        bind([.character("c")], .toggleCompare, "compare with each adapter and the base", .reflection, bar: "compare"),

        bind([.character("s")], .startSearch, "start the grid search", .search, bar: "search"),
        bind([.character("x")], .cancelSearch, "cancel the grid search", .search, bar: "cancel"),
        bind([.character("a")], .applyBestWeights, "apply the best weights to the sliders", .search, bar: "apply"),

        bind([.escape, .character("?"), .character("q")], .toggleHelp, "close help", .help, bar: "close"),
        bind([.up, .character("k")], .scrollUp, "scroll up", .help),
        bind([.down, .character("j")], .scrollDown, "scroll down", .help),
        bind([.control("c")], .quit, "quit", .help),

        bind([.enter], .submit, "accept", .textEntry, bar: "accept"),
        bind([.escape], .back, "cancel", .textEntry, bar: "cancel"),
        bind([.backspace], .deleteBackward, "delete the last character", .textEntry),
        bind([.control("c")], .quit, "quit", .textEntry),

        bind([.character("y")], .confirm, "yes", .confirm, bar: "yes"),
        bind([.character("n"), .escape], .back, "no", .confirm, bar: "no"),
        bind([.control("c")], .quit, "quit anyway", .confirm),
    ])

    private static func bind(_ keys: [Key], _ action: Action, _ description: String, _ context: KeyContext, bar: String? = nil) -> Binding {
        Binding(keys: keys, action: action, description: description, context: context, barLabel: bar)
    }
}
