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
            let (text, side) = body.splitRight(min(40, inner.width / 3))
            return (text.splitRight(1).rest, side, status)
        }
        let (text, bars) = body.splitBottom(min(state.objectives.count, max(0, body.height - 2)))
        return (text, bars, status)
    }

    /// The rows of the client statement (the first ones of the text column, at most half).
    private var statementRect: Rect {
        let text = parts.text
        let lines = WrappedText.wrap("Client: " + reflection.statement, width: text.width).count
        return text.splitTop(min(max(1, text.height / 2), lines)).top
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
        if let entry = state.entry, entry.target == .statement {
            WrappedText(text: entry.text + String(g.cursor), style: theme.selected, label: "Client (typing):", labelStyle: theme.muted, followTail: true)
                .draw(in: statement, on: screen)
        } else {
            WrappedText(text: reflection.statement, style: theme.text, label: "Client:", labelStyle: theme.muted).draw(in: statement, on: screen)
        }
        let generating = reflection.state == .generating
        WrappedText(text: reflection.text + (generating ? String(g.cursor) : ""), style: theme.text.with(.bold),
                    label: "Reflection:", labelStyle: theme.muted, followTail: generating)
            .draw(in: textRect.splitTop(statement.height).rest, on: screen)
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
            if let model = reflection.model { items.append(model) }
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
            WrappedText(text: column.text, style: theme.text, label: column.label + score + ":", labelStyle: theme.title).draw(in: area, on: screen)
        }
    }
}
