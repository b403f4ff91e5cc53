/// The reflection panel: the client statement, the ensemble's reflection, its scores and latency;
/// or, while comparing, the responses of the ensemble, each adapter and the base.
struct ReflectionPanel: PanelView {
    let state: DashboardState
    let rect: Rect

    /// Bars go to the right of the text when the panel is at least this wide inside.
    static let sideBarsWidth = 64

    // MARK: - Geometry

    private var inner: Rect { PanelFrame.inner(rect) }
    private var reflection: ReflectionStatus { state.reflection }

    /// The text column, the score bars and the status line.
    private var parts: (text: Rect, bars: Rect, status: Rect) {
        let (body, status) = inner.splitBottom(1)
        if inner.width >= ReflectionPanel.sideBarsWidth {
            let (text, side) = body.splitRight(28)
            return (text.splitRight(1).rest, side, status)
        }
        let (text, bars) = body.splitBottom(min(state.objectives.count, max(0, body.height - 2)))
        return (text, bars, status)
    }

    /// The rows of the client statement (the first ones of the text column).
    private var statementRect: Rect {
        let text = parts.text
        return text.splitTop(min(text.height / 2, text.height >= 8 ? 4 : 2)).top
    }

    var controls: [Control] {
        reflection.comparison == nil ? [Control(rect: statementRect, target: .button(.typePrompt))] : []
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        PanelFrame(title: "Reflection", focused: state.focus == .reflection, note: reflection.source).draw(in: rect, on: screen, theme: theme)
        if let comparison = reflection.comparison {
            drawComparison(comparison, on: screen, theme: theme)
            return
        }
        let g = Glyphs.for(screen)
        let (textRect, barsRect, statusRect) = parts
        let statement = statementRect
        let typing = state.entry?.target == .statement
        screen.put(typing ? "Client (typing):" : "Client:", x: statement.x, y: statement.y, style: theme.muted)
        let statementText = typing ? (state.entry?.text ?? "") + String(g.cursor) : reflection.statement
        WrappedText(text: statementText, style: typing ? theme.selected : theme.text, followTail: typing)
            .draw(in: statement.splitTop(1).rest, on: screen)
        let response = textRect.splitTop(statement.height).rest
        screen.put("Reflection:", x: response.x, y: response.y, style: theme.muted, clip: response)
        let cursor = reflection.state == .generating ? String(g.cursor) : ""
        WrappedText(text: reflection.text + cursor, style: theme.text.with(.bold), followTail: true)
            .draw(in: response.splitTop(1).rest, on: screen)
        let entries = state.objectives.enumerated().map { index, objective in
            ScoreBars.Entry(label: objective.name, value: index < reflection.scores.count ? reflection.scores[index] : nil,
                            style: theme.objective(objective.colorIndex))
        }
        ScoreBars(entries: entries).draw(in: barsRect, on: screen, theme: theme)
        let (text, style) = status(g)
        screen.put(text, x: statusRect.x, y: statusRect.y, style: style(theme), clip: statusRect)
    }

    /// The status line: what the generator is doing and how fast it was.
    private func status(_ g: Glyphs) -> (String, (Theme) -> Style) {
        switch reflection.state {
        case .idle: return ("waiting for a statement", \.muted)
        case .loading(let what): return ("loading \(what)", \.muted)
        case .failed(let message): return ("failed: \(message)", \.bad)
        case .generating, .done:
            var items = [reflection.state == .generating ? "generating" : "done"]
            if let first = reflection.firstTokenSeconds { items.append("first token \(Int((first * 1000).rounded())) ms") }
            if let total = reflection.totalSeconds { items.append("total \(Format.fixed(total, digits: 2)) s") }
            items.append(state.aggregation.rawValue)
            return (items.joined(separator: g.separator), \.muted)
        }
    }

    /// The compared responses side by side when each gets 24 cells, else one under the other.
    private func drawComparison(_ columns: [ComparisonColumn], on screen: Screen, theme: Theme) {
        guard !columns.isEmpty, !inner.isEmpty else { return }
        let sideBySide = inner.width / columns.count >= 24
        for (index, column) in columns.enumerated() {
            let area: Rect
            if sideBySide {
                let width = inner.width / columns.count
                area = Rect(x: inner.x + index * width, y: inner.y, width: width - 1, height: inner.height)
            } else {
                let height = inner.height / columns.count
                area = Rect(x: inner.x, y: inner.y + index * height, width: inner.width, height: height)
            }
            guard !area.isEmpty else { continue }
            let score = column.meanScore.map { " " + Format.fixed($0, digits: 2) } ?? ""
            screen.put(column.label, x: area.x, y: area.y, style: theme.title, clip: area)
            screen.put(score, x: area.x + TextWidth.of(column.label), y: area.y, style: theme.good, clip: area)
            WrappedText(text: column.text, style: theme.text).draw(in: area.splitTop(1).rest, on: screen)
        }
    }
}
