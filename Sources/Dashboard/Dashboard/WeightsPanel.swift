import Ensemble
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

    /// The row of the aggregation modes, under the sliders and a blank row.
    private var modeRow: Rect { inner.row(state.objectives.count + 1) }

    /// Whether the `mode` label fits before the mode names.
    private var showsModeLabel: Bool {
        let names = AggregationMode.allCases.map { TextWidth.of($0.rawValue) + 2 }.reduce(0, +)
        return TextWidth.of(WeightsPanel.modeLabel) + names <= modeRow.width
    }

    /// The mode names, each with the cells it takes (padded by a space on each side).
    private var modes: [(rect: Rect, mode: AggregationMode)] {
        let row = modeRow
        var x = row.x + (showsModeLabel ? TextWidth.of(WeightsPanel.modeLabel) : 0)
        return AggregationMode.allCases.compactMap { mode in
            let width = TextWidth.of(mode.rawValue) + 2
            defer { x += width }
            guard x + width <= row.maxX, !row.isEmpty else { return nil }
            return (Rect(x: x, y: row.y, width: width, height: 1), mode)
        }
    }

    private static let modeLabel = "mode"

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
        PanelFrame(title: "Weights", focused: state.focus == .weights, note: "sum \(Format.fixed(total, digits: 2))")
            .draw(in: rect, on: screen, theme: theme)
        for (index, objective) in state.objectives.enumerated() {
            var editText: String?
            if let entry = state.entry, entry.target == .weight(index) { editText = entry.text }
            Slider(label: objective.name, value: state.weights[index],
                   selected: state.focus == .weights && index == state.selectedObjective,
                   style: theme.objective(objective.colorIndex), editText: editText)
                .draw(slider(index), on: screen, theme: theme)
        }
        if showsModeLabel { screen.put(WeightsPanel.modeLabel, x: modeRow.x, y: modeRow.y, style: theme.muted, clip: modeRow) }
        for (place, mode) in modes {
            screen.put(" \(mode.rawValue) ", x: place.x, y: place.y, style: mode == state.aggregation ? theme.selected.with(.bold) : theme.muted)
        }
    }
}
