/// The search panel: grid-search progress, the best weights, and the score over the weights
/// (a heat map for three objectives, a sorted table otherwise).
struct SearchPanel: PanelView {
    let state: DashboardState
    let rect: Rect

    // MARK: - Geometry

    private var inner: Rect { PanelFrame.inner(rect) }
    private var search: SearchStatus { state.search }
    private var buttonsRow: Rect { inner.splitBottom(1).bottom }
    private var mapRect: Rect { inner.splitTop(3).rest.splitBottom(1).rest }

    private var buttons: ButtonRow {
        let running = search.state == .running
        return ButtonRow(buttons: [
            Button(key: "s", label: "start", action: .startSearch, enabled: !running),
            Button(key: "x", label: "cancel", action: .cancelSearch, enabled: running),
            Button(key: "a", label: "apply", action: .applyBestWeights, enabled: search.bestWeights != nil),
        ])
    }

    var controls: [Control] {
        buttons.layout(in: buttonsRow).map { Control(rect: $0.rect, target: .button($0.button.action)) }
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        let g = Glyphs.for(screen)
        PanelFrame(title: "Search", focused: state.focus == .search, note: stateLabel + (search.scoreName.map { g.separator + $0 } ?? "")).draw(in: rect, on: screen, theme: theme)
        let progress = "level \(search.level)/\(search.levels)\(g.separator)\(search.evaluations)/\(search.plannedEvaluations) (\(search.uniqueEvaluations) new)"
        screen.put(progress, x: inner.x, y: inner.y, style: theme.text, clip: inner)
        let barRow = inner.row(1)
        let fraction = search.plannedEvaluations > 0 ? Double(search.evaluations) / Double(search.plannedEvaluations) : 0
        screen.put(String(repeating: " ", count: barRow.width), x: barRow.x, y: barRow.y, style: theme.barTrack.with(.reverse), clip: barRow)
        screen.put(ScoreBars.bar(fraction, width: barRow.width, glyphs: g), x: barRow.x, y: barRow.y, style: theme.bar, clip: barRow)
        let bestRow = inner.row(2)
        if let weights = search.bestWeights, let score = search.bestScore {
            let text = "best \(Format.fixed(score, digits: 3)) at " + weights.map { Format.fixed($0, digits: 2) }.joined(separator: " ")
            screen.put(text, x: bestRow.x, y: bestRow.y, style: theme.good, clip: bestRow)
        } else if case .failed(let message) = search.state {
            screen.put("failed: \(message)", x: bestRow.x, y: bestRow.y, style: theme.bad, clip: bestRow)
        } else {
            screen.put("no best yet", x: bestRow.x, y: bestRow.y, style: theme.muted, clip: bestRow)
        }
        if state.objectives.count == 3 {
            TriangleHeatMap(labels: state.objectives.map(\.name), points: search.points, best: search.bestWeights, current: state.weights)
                .draw(in: mapRect, on: screen, theme: theme)
        } else {
            pointsTable(theme: theme).draw(in: mapRect, on: screen, theme: theme)
        }
        buttons.draw(in: buttonsRow, on: screen, keyStyle: theme.title, labelStyle: theme.text, disabledStyle: theme.muted)
    }

    private var stateLabel: String {
        switch search.state {
        case .idle: "idle"
        case .running: "running"
        case .done: "done"
        case .cancelled: "cancelled"
        case .failed: "failed"
        }
    }

    /// Evaluated points, best first: one weight column per objective and the score.
    private func pointsTable(theme: Theme) -> Table {
        let weightColumns = state.objectives.map { Table.Column(String($0.name.prefix(4)), width: 4, alignRight: true) }
        let columns = weightColumns + [Table.Column("score", width: 5, alignRight: true)]
        let rows = search.points.sorted { $0.score > $1.score }.map { point in
            point.weights.map { Table.Cell(Format.fixed($0, digits: 2)) } + [Table.Cell(Format.fixed(point.score, digits: 3), style: theme.good)]
        }
        return Table(columns: columns, rows: rows)
    }
}
