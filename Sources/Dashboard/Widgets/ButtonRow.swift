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

    /// The text drawn for the button.
    var text: String { "[\(key)] \(label)" }
}

/// Buttons laid out left to right in one row; the ones that do not fit are left out.
public struct ButtonRow {
    public var buttons: [Button]

    public init(buttons: [Button]) {
        self.buttons = buttons
    }

    /// Where each button that fits in `rect`'s first row goes.
    public func layout(in rect: Rect) -> [(rect: Rect, button: Button)] {
        guard rect.height > 0 else { return [] }
        var x = rect.x
        var placed: [(rect: Rect, button: Button)] = []
        for button in buttons {
            let width = TextWidth.of(button.text)
            if x + width > rect.maxX { break }
            placed.append((Rect(x: x, y: rect.y, width: width, height: 1), button))
            x += width + 1
        }
        return placed
    }

    /// Draws the buttons that fit.
    public func draw(in rect: Rect, on screen: Screen, theme: Theme) {
        for (place, button) in layout(in: rect) {
            let keyText = "[\(button.key)]"
            screen.put(keyText, x: place.x, y: place.y, style: button.enabled ? theme.title : theme.muted)
            screen.put(" " + button.label, x: place.x + TextWidth.of(keyText), y: place.y, style: button.enabled ? theme.text : theme.muted)
        }
    }
}
