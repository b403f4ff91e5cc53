import Testing
@testable import Dashboard

@Suite struct HitTestTests {
    @Test func sliderGeometryMapsColumnsAndValues() {
        let geometry = SliderGeometry(row: Rect(x: 10, y: 3, width: 40, height: 1), labelWidth: 8)
        #expect(geometry.track.x == 19)
        #expect(geometry.value(atColumn: geometry.track.x) == 0)
        #expect(geometry.value(atColumn: geometry.track.maxX - 1) == 1)
        #expect(geometry.value(atColumn: 0) == 0, "clamped left")
        #expect(geometry.value(atColumn: 500) == 1, "clamped right")
        for value in stride(from: 0.0, through: 1.0, by: 0.1) {
            let back = geometry.value(atColumn: geometry.column(for: value))
            #expect(abs(back - value) <= 1.0 / Double(geometry.track.width - 1) / 2 + 0.005)
        }
    }

    @Test(arguments: SnapshotTests.sizes)
    func clickOnASliderSetsItsWeight(size: Size) throws {
        let state = SampleStates.rich()
        let layout = Dashboard.layout(of: state, size: size)
        let geometry = WeightsPanel(state: state, rect: layout.weights).slider(1)
        let x = geometry.column(for: 0.5)
        guard case .slider(let index, let value) = Dashboard.hitTest(x: x, y: geometry.track.y, state: state, size: size) else {
            Issue.record("no slider hit")
            return
        }
        #expect(index == 1)
        #expect(abs(value - 0.5) < 0.03)
        #expect(Dashboard.sliderValue(index: 1, x: 0, state: state, size: size) == 0)
        #expect(Dashboard.sliderValue(index: 1, x: size.width, state: state, size: size) == 1)
        #expect(Dashboard.hitTest(x: geometry.label.x, y: geometry.label.y, state: state, size: size) == .objective(1))
    }

    @Test func clicksOnModesBarButtonsAndPanels() throws {
        let state = SampleStates.rich()
        let size = Size(width: 120, height: 40)
        let grid = CellGrid(size: size)
        Dashboard.render(state, theme: .standard, on: grid)
        let text = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func find(_ needle: String) throws -> Point {
            for (y, line) in text.enumerated() {
                if let range = line.range(of: needle) {
                    return Point(x: TextWidth.of(line[..<range.lowerBound]), y: y)
                }
            }
            throw CancellationError()
        }
        let logits = try find("logits")
        #expect(Dashboard.hitTest(x: logits.x, y: logits.y, state: state, size: size) == .aggregation(.logits))
        let help = try find("? help")
        #expect(Dashboard.hitTest(x: help.x, y: help.y, state: state, size: size) == .button(.toggleHelp))
        let apply = try find("[a] apply")
        #expect(Dashboard.hitTest(x: apply.x + 2, y: apply.y, state: state, size: size) == .button(.applyBestWeights))
        let layout = Dashboard.layout(of: state, size: size)
        #expect(Dashboard.hitTest(x: layout.training.x + 10, y: layout.training.y + 2, state: state, size: size) == .panel(.training))
        #expect(Dashboard.hitTest(x: layout.training.x + 2, y: layout.training.maxY - 3, state: state, size: size) == .objective(1))
    }

    @Test func overlaysTakeTheClicks() {
        var state = SampleStates.rich()
        let size = Size(width: 80, height: 24)
        state.helpVisible = true
        #expect(Dashboard.hitTest(x: 0, y: 0, state: state, size: size) == .button(.toggleHelp))
        #expect(Dashboard.hitTest(x: 40, y: 12, state: state, size: size) == nil)
        state.helpVisible = false
        state.errorBanner = "boom"
        #expect(Dashboard.hitTest(x: 5, y: 0, state: state, size: size) == .button(.back))
        #expect(Dashboard.hitTest(x: 5, y: 5, state: state, size: Size(width: 60, height: 20)) == nil)
    }
}
