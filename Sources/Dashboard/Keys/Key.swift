/// A key press, decoded from the terminal.
public enum Key: Hashable, Sendable {
    /// A printable character, case kept (`L` is shift-l).
    case character(Character)
    /// Control plus a letter, the letter in lower case (`ctrl-c` is `.control("c")`).
    case control(Character)
    case up, down, left, right
    case shiftLeft, shiftRight
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete

    /// The key as written in help and the bottom bar (ASCII).
    public var label: String {
        switch self {
        case .character(" "): "space"
        case .character(let c): String(c)
        case .control(let c): "ctrl-\(c)"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .shiftLeft: "S-left"
        case .shiftRight: "S-right"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .home: "home"
        case .end: "end"
        case .tab: "tab"
        case .backTab: "S-tab"
        case .enter: "enter"
        case .escape: "esc"
        case .backspace: "bksp"
        case .delete: "del"
        }
    }
}

/// A mouse report in screen cells.
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable {
        case press, release, drag, scrollUp, scrollDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// One input from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal changed size; redraw at the new `Screen.size`.
    case resize
}
