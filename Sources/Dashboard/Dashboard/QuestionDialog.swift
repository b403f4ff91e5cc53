/// A yes/no question in a box over the dashboard.
struct QuestionDialog: PanelView {
    let question: String
    let screenRect: Rect

    // MARK: - Geometry

    private var width: Int { min(screenRect.width - 4, max(36, TextWidth.of(question) + 4)) }
    private var lines: [String] { WrappedText.wrap(question, width: width - 4) }
    var box: Rect { screenRect.centered(Size(width: width, height: lines.count + 4)) }
    private var buttonsRow: Rect { PanelFrame.inner(box).inset(dx: 1, dy: 0).splitBottom(1).bottom }

    private let buttons = ButtonRow(buttons: [
        Button(key: "y", label: "yes", action: .confirm),
        Button(key: "n", label: "no", action: .back),
    ])

    var controls: [Control] {
        buttons.layout(in: buttonsRow).map { Control(rect: $0.rect, target: .button($0.button.action)) }
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        let inner = PanelFrame(title: "Question", focused: true).draw(in: box, on: screen, theme: theme)
        for (row, line) in lines.enumerated() { screen.put(line, x: inner.x + 1, y: inner.y + row, style: theme.text, clip: inner) }
        buttons.draw(in: buttonsRow, on: screen, keyStyle: theme.title, labelStyle: theme.text, disabledStyle: theme.muted)
    }
}
