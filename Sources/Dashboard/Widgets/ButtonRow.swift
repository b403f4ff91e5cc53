/// A clickable control drawn as `[key] label`.
public struct Button: Hashable, Sendable {
    public var key: String
    public var label: String
    public var action: Action
    public var enabled: Bool

    public init(key: String, label: String, action: Action, enabled: Bool = true) {
        self.key = key
        self.label = label
        self.action = action
        self.enabled = enabled
    }
}

/// Buttons laid out left to right in one row; the ones that do not fit are left out.
public struct ButtonRow {
    public var buttons: [Button]
    /// `[s] search` when true, `s search` when false (the bottom bar).
    public var bracketed: Bool

    public init(buttons: [Button], bracketed: Bool = true) {
        self.buttons = buttons
        self.bracketed = bracketed
    }

    /// The key part and the label part of a button as drawn.
    private func parts(_ button: Button) -> (key: String, label: String) {
        (bracketed ? "[\(button.key)]" : button.key, " " + button.label)
    }

    /// Where each button that fits in `rect`'s first row goes.
    public func layout(in rect: Rect) -> [(rect: Rect, button: Button)] {
        guard rect.height > 0 else { return [] }
        var x = rect.x
        var placed: [(rect: Rect, button: Button)] = []
        for button in buttons {
            let (key, label) = parts(button)
            let width = TextWidth.of(key) + TextWidth.of(label)
            if x + width > rect.maxX { break }
            placed.append((Rect(x: x, y: rect.y, width: width, height: 1), button))
            x += width + (bracketed ? 1 : 2)
        }
        return placed
    }

    /// Draws the buttons that fit: keys in `keyStyle`, labels in `labelStyle`, disabled ones in `disabledStyle`.
    public func draw(in rect: Rect, on screen: Screen, keyStyle: Style, labelStyle: Style, disabledStyle: Style) {
        for (place, button) in layout(in: rect) {
            let (key, label) = parts(button)
            screen.put(key, x: place.x, y: place.y, style: button.enabled ? keyStyle : disabledStyle)
            screen.put(label, x: place.x + TextWidth.of(key), y: place.y, style: button.enabled ? labelStyle : disabledStyle)
        }
    }
}
