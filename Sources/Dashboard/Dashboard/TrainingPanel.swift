/// The training panel: reward curves of every objective over time, and a table of their figures.
struct TrainingPanel: PanelView {
    let state: DashboardState
    let rect: Rect

    /// The EMA weight of the newest point in smoothed curves.
    static let smoothing = 0.2

    // MARK: - Geometry

    private var inner: Rect { PanelFrame.inner(rect) }
    private var tableRect: Rect { inner.splitBottom(min(state.objectives.count + 1, max(0, inner.height - 3))).bottom }
    private var chartRect: Rect { inner.splitBottom(tableRect.height).rest }

    var controls: [Control] {
        state.objectives.indices.compactMap { index in
            let row = tableRect.row(index + 1)
            return row.isEmpty ? nil : Control(rect: row, target: .objective(index))
        }
    }

    /// The steps covered by all curves.
    private var stepRange: ClosedRange<Double>? {
        let steps = state.objectives.flatMap { $0.curve.map { Double($0.step) } }
        guard let low = steps.min(), let high = steps.max() else { return nil }
        return low...high
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        let g = Glyphs.for(screen)
        var note: String?
        var window: ClosedRange<Double>?
        if let data = stepRange {
            let shown = LineChart.window(data: data, zoom: state.chart.zoom, scrollBack: state.chart.scrollBack)
            window = shown
            let zoom = state.chart.zoom > 0 ? "\(g.separator)zoom \(1 << state.chart.zoom)x" : ""
            note = "steps \(Int(shown.lowerBound))-\(Int(shown.upperBound))\(g.separator)\(state.chart.smoothed ? "smoothed" : "raw")\(zoom)"
        }
        PanelFrame(title: "Training", focused: state.focus == .training, note: note).draw(in: rect, on: screen, theme: theme)
        if let window {
            LineChart(series: series(theme: theme), xRange: window, glyphs: ChartGlyphs.for(screen)).draw(in: chartRect, on: screen, theme: theme)
        } else {
            screen.put("no training yet: focus here and press s", x: chartRect.x + 1, y: chartRect.y, style: theme.muted, clip: chartRect)
        }
        table(theme: theme).draw(in: tableRect, on: screen, theme: theme)
    }

    /// Raw curves (faded when smoothed ones are drawn over them), the selected objective on top.
    private func series(theme: Theme) -> [ChartSeries] {
        let order = state.objectives.indices.filter { $0 != state.selectedObjective } + [state.selectedObjective]
        let raw = order.filter { state.objectives.indices.contains($0) }.map { index -> ChartSeries in
            let objective = state.objectives[index]
            let points = objective.curve.map { (x: Double($0.step), y: $0.reward) }
            return ChartSeries(points: points, style: theme.objective(objective.colorIndex))
        }
        guard state.chart.smoothed else { return raw }
        let faded = raw.map { line in
            var style = line.style.with(.dim)
            style.foreground = line.style.foreground.map { $0.mixed(with: theme[.mainBackground], 0.55) }
            return ChartSeries(points: line.points, style: style)
        }
        return faded + raw.map { $0.smoothed(alpha: TrainingPanel.smoothing) }
    }

    // MARK: - Table

    /// A column of the figures table beside the objective's name.
    private enum Figure: CaseIterable {
        case reward, validation, dataPoints, time, rate, state

        var column: Table.Column {
            switch self {
            case .reward: Table.Column("reward", width: 7, alignRight: true)
            case .validation: Table.Column("valid", width: 6, alignRight: true)
            case .dataPoints: Table.Column("points", width: 7, alignRight: true)
            case .time: Table.Column("time", width: 6, alignRight: true)
            case .rate: Table.Column("st/min", width: 6, alignRight: true)
            case .state: Table.Column("state", width: 9)
            }
        }

        /// Lower comes first when the width does not fit them all.
        var priority: Int {
            switch self {
            case .reward: 1
            case .validation: 2
            case .state: 3
            case .dataPoints: 4
            case .time: 5
            case .rate: 6
            }
        }

        func cell(_ objective: ObjectiveStatus, _ theme: Theme) -> Table.Cell {
            func number(_ value: Double?) -> String { value.map { Format.fixed($0, digits: 3) } ?? "-" }
            switch self {
            case .reward: return Table.Cell(number(objective.reward))
            case .validation: return Table.Cell(number(objective.validationMean))
            case .dataPoints: return Table.Cell(Format.grouped(objective.dataPoints))
            case .time: return Table.Cell(Format.duration(objective.seconds))
            case .rate: return Table.Cell(objective.stepsPerMinute.map { Format.fixed($0, digits: 1) } ?? "-")
            case .state:
                switch objective.state {
                case .running, .converged: return Table.Cell(objective.state.label, style: theme.good)
                case .failed: return Table.Cell(objective.state.label, style: theme.bad)
                case .idle, .paused: return Table.Cell(objective.state.label, style: theme.muted)
                }
            }
        }
    }

    /// The figures that fit beside a name of at least 10 cells, in display order.
    private func figures() -> [Figure] {
        var room = tableRect.width - 10
        var chosen: Set<Figure> = []
        for figure in Figure.allCases.sorted(by: { $0.priority < $1.priority }) {
            let width = figure.column.width ?? 0
            if width + 1 <= room {
                room -= width + 1
                chosen.insert(figure)
            }
        }
        return Figure.allCases.filter(chosen.contains)
    }

    private func table(theme: Theme) -> Table {
        let figures = figures()
        let rows = state.objectives.map { objective in
            [Table.Cell(objective.name, style: theme.objective(objective.colorIndex))] + figures.map { $0.cell(objective, theme) }
        }
        return Table(columns: [Table.Column("objective")] + figures.map(\.column), rows: rows,
                     selectedRow: state.focus == .training ? state.selectedObjective : nil)
    }
}
