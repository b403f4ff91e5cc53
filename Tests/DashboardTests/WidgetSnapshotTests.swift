import Testing
@testable import Dashboard

/// Snapshots of each widget drawn over a whole screen of the three reference sizes.
@Suite struct WidgetSnapshotTests {
    let theme = Theme.standard

    /// Draws with `draw` on a grid of `size` and checks the text against `name`.
    func check(_ name: String, _ size: Size, unicode: Bool = true, styled: Bool = false, draw: (CellGrid, Rect) -> Void) throws {
        let grid = CellGrid(size: size, supportsUnicode: unicode)
        draw(grid, grid.bounds)
        try Snapshot.check(styled ? grid.styledDump() : grid.textDump(), named: "widget-\(name)-\(size.width)x\(size.height)")
    }

    @Test(arguments: SnapshotTests.sizes)
    func panelFrames(size: Size) throws {
        try check("panel", size) { grid, rect in
            let (left, right) = rect.splitLeft(rect.width / 2)
            PanelFrame(title: "Training", focused: false, note: "steps 0-240").draw(in: left, on: grid, theme: theme)
            PanelFrame(title: "Weights", focused: true).draw(in: right, on: grid, theme: theme)
        }
    }

    @Test(arguments: SnapshotTests.sizes, ChartGlyphs.allCases)
    func lineChart(size: Size, glyphs: ChartGlyphs) throws {
        let series = SampleStates.objectives(3).enumerated().map { i, objective in
            ChartSeries(points: objective.curve.map { (x: Double($0.step), y: $0.reward) }, style: theme.objective(i))
        }
        try check("chart-\(glyphs)", size) { grid, rect in
            LineChart(series: series + series.map { $0.smoothed(alpha: 0.2) }, xRange: 0...239, glyphs: glyphs).draw(in: rect, on: grid, theme: theme)
        }
    }

    @Test(arguments: SnapshotTests.sizes)
    func sliders(size: Size) throws {
        try check("slider", size) { grid, rect in
            for (i, value) in [0.0, 0.25, 0.5, 1.0].enumerated() {
                Slider(label: SampleStates.names[i], value: value, selected: i == 1, style: theme.objective(i), editText: i == 3 ? "0.7" : nil)
                    .draw(SliderGeometry(row: rect.row(i), labelWidth: 10), on: grid, theme: theme)
            }
        }
    }

    @Test(arguments: SnapshotTests.sizes)
    func scoreBars(size: Size) throws {
        let entries = [0.0, 0.33, 0.5, 0.91, nil].enumerated().map { ScoreBars.Entry(label: SampleStates.names[$0], value: $1, style: theme.objective($0)) }
        try check("bars", size) { grid, rect in ScoreBars(entries: entries).draw(in: rect, on: grid, theme: theme) }
        try check("bars-ascii", size, unicode: false) { grid, rect in ScoreBars(entries: entries).draw(in: rect, on: grid, theme: theme) }
    }

    @Test(arguments: SnapshotTests.sizes)
    func wrappedText(size: Size) throws {
        let text = "Wide characters 漢字かな take two cells each; a verylongwordthatcannotfitonanylineatallnomatterwhatwidthitgets is broken.\n\nNew paragraph after a blank line."
        try check("text", size) { grid, rect in WrappedText(text: text, style: theme.text).draw(in: rect.inset(dx: 0, dy: 0).splitLeft(30).left, on: grid) }
    }

    @Test(arguments: SnapshotTests.sizes)
    func table(size: Size) throws {
        let table = Table(columns: [Table.Column("objective"), Table.Column("reward", width: 7, alignRight: true), Table.Column("state", width: 9)],
                          rows: SampleStates.objectives(5).map { [Table.Cell($0.name), Table.Cell(Format.fixed($0.reward ?? 0, digits: 3)), Table.Cell($0.state.label)] },
                          selectedRow: 2)
        try check("table", size) { grid, rect in table.draw(in: rect, on: grid, theme: theme) }
    }

    @Test(arguments: SnapshotTests.sizes)
    func heatMap(size: Size) throws {
        let points = SampleStates.points(dimensions: 3)
        let map = TriangleHeatMap(labels: ["reflection", "empathy", "fluency"], points: points, best: [1, 0.5, 0.5], current: [0.2, 0.2, 0.6])
        try check("heatmap", size) { grid, rect in map.draw(in: rect, on: grid, theme: theme) }
        try check("heatmap-empty", size, unicode: false) { grid, rect in
            TriangleHeatMap(labels: ["r", "e", "f"], points: []).draw(in: rect, on: grid, theme: theme)
        }
    }

    @Test(arguments: SnapshotTests.sizes)
    func buttons(size: Size) throws {
        let row = ButtonRow(buttons: [Button(key: "s", label: "search", action: .startSearch),
                                      Button(key: "x", label: "cancel", action: .cancelSearch, enabled: false)])
        try check("buttons", size, styled: size.width == 80) { grid, rect in
            row.draw(in: rect, on: grid, keyStyle: theme.title, labelStyle: theme.text, disabledStyle: theme.muted)
        }
    }
}
