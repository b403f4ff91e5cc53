/// The bottom row: the main keys of the active context, generated from the key table, each clickable.
struct BottomBar: PanelView {
    let table: KeyTable
    let context: KeyContext
    let rect: Rect

    private var buttons: ButtonRow {
        ButtonRow(buttons: table.barBindings(in: context).map { binding in
            Button(key: binding.keys[0].label, label: binding.barLabel ?? "", action: binding.action)
        }, bracketed: false)
    }

    var controls: [Control] {
        buttons.layout(in: rect.inset(dx: 1, dy: 0)).map { Control(rect: $0.rect, target: .button($0.button.action)) }
    }

    func draw(on screen: Screen, theme: Theme) {
        screen.fill(rect, style: theme.selected)
        buttons.draw(in: rect.inset(dx: 1, dy: 0), on: screen, keyStyle: theme.selected.with(.bold).with(foreground: theme[.slider]),
                     labelStyle: theme.selected, disabledStyle: theme.selected)
    }
}
