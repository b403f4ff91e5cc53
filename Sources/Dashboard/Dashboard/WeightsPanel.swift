/// The weights panel: one slider per objective and the aggregation mode.
struct WeightsPanel: PanelView {
    let state: DashboardState
    let rect: Rect

    // MARK: - Geometry

    private var inner: Rect { PanelFrame.inner(rect) }

    /// The geometry of slider `index` (its row may be empty when the panel is too short).
    func slider(_ index: Int) -> SliderGeometry {
        let labelWidth = min(12, state.objectives.map { TextWidth.of($0.name) }.max() ?? 0)
        return SliderGeometry(row: inner.row(index), labelWidth: labelWidth)
    }

    /// The mode names on the last row, each with the cells it takes.
    private var modes: [(rect: Rect, mode: AggregationMode)] {
        let row = inner.row(state.objectives.count + 1)
        var x = row.x + TextWidth.of(WeightsPanel.modeLabel)
        return AggregationMode.allCases.compactMap { mode in
            let width = TextWidth.of(mode.rawValue) + 2
            defer { x += width + 1 }
            guard x + width <= row.maxX, !row.isEmpty else { return nil }
            return (Rect(x: x, y: row.y, width: width, height: 1), mode)
        }
    }

    private static let modeLabel = "mode "

    var controls: [Control] {
        let sliders = state.objectives.indices.flatMap { index -> [Control] in
            let geometry = slider(index)
            guard !geometry.track.isEmpty else { return [] }
            let track = Rect(x: geometry.track.x, y: geometry.track.y, width: geometry.value.maxX - geometry.track.x, height: 1)
            let value = Control(rect: track) { .slider(index: index, value: geometry.value(atColumn: $0.x)) }
            return [Control(rect: geometry.label, target: .objective(index)), value]
        }
        return sliders + modes.map { Control(rect: $0.rect, target: .aggregation($0.mode)) }
    }

    // MARK: - Drawing

    func draw(on screen: Screen, theme: Theme) {
        let total = state.weights.reduce(0, +)
        let g = Glyphs.for(screen)
        PanelFrame(title: "Weights", focused: state.focus == .weights, note: "sum \(Format.fixed(total, digits: 2))\(g.separator)\(state.aggregation.rawValue)")
            .draw(in: rect, on: screen, theme: theme)
        for (index, objective) in state.objectives.enumerated() {
            var editText: String?
            if let entry = state.entry, entry.target == .weight(index) { editText = entry.text }
            Slider(label: objective.name, value: state.weights[index],
                   selected: state.focus == .weights && index == state.selectedObjective,
                   style: theme.objective(objective.colorIndex), editText: editText)
                .draw(slider(index), on: screen, theme: theme)
        }
        let row = inner.row(state.objectives.count + 1)
        screen.put(WeightsPanel.modeLabel, x: row.x, y: row.y, style: theme.muted, clip: row)
        for (place, mode) in modes {
            screen.put(" \(mode.rawValue) ", x: place.x, y: place.y, style: mode == state.aggregation ? theme.selected.with(.bold) : theme.muted)
        }
    }
}
