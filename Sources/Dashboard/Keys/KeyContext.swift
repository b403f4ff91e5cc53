/// Where a key binding applies: the focused panel, or a modal overlay.
public enum KeyContext: String, CaseIterable, Hashable, Sendable {
    case global
    case training
    case weights
    case reflection
    case search
    case help
    case textEntry
    case confirm

    /// Modal contexts take every key; global bindings do not apply under them.
    public var isModal: Bool {
        switch self {
        case .help, .textEntry, .confirm: true
        case .global, .training, .weights, .reflection, .search: false
        }
    }

    /// The heading of this context in the help overlay.
    public var title: String {
        switch self {
        case .global: "Anywhere"
        case .training: "Training panel"
        case .weights: "Weights panel"
        case .reflection: "Reflection panel"
        case .search: "Search panel"
        case .help: "Help"
        case .textEntry: "Typing (other keys type themselves)"
        case .confirm: "Question"
        }
    }
}
