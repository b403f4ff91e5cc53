import Testing
@testable import Dashboard

@Suite struct LayoutTests {
    /// Every size from the minimum to 300×100, for every objective count, banner and compare mode.
    @Test(arguments: [2, 3, 4, 5])
    func panelsDoNotOverlapAndStayOnScreen(objectives: Int) {
        var checked = 0
        for width in Layout.minimum.width...300 {
            for height in Layout.minimum.height...100 {
                for (banner, comparing) in [(false, false), (true, false), (false, true), (true, true)] {
                    let layout = Layout(size: Size(width: width, height: height), objectives: objectives, banner: banner, comparing: comparing)
                    let screen = Rect(size: layout.size)
                    let regions = layout.regions
                    for (i, a) in regions.enumerated() {
                        guard screen.contains(a) else { Issue.record("\(a) off screen at \(width)x\(height)"); return }
                        for b in regions[(i + 1)...] where a.intersects(b) {
                            Issue.record("\(a) overlaps \(b) at \(width)x\(height)")
                            return
                        }
                    }
                    let covered = regions.reduce(0) { $0 + $1.width * $1.height }
                    let fits = layout.weights.height - 2 >= objectives + 2 && layout.training.height - 2 >= objectives + 1 + 3
                    guard covered == width * height, fits else {
                        Issue.record("cells left blank or panels too short at \(width)x\(height)")
                        return
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 221 * 77 * 4)
    }

    /// Rendering a sample of sizes (the corners included) never traps or puts a control outside its panel.
    /// (A render takes ~0.1 s in debug builds, so this samples; the layout test above covers every size.)
    @Test func controlsStayInsideTheirPanels() {
        for width in [80, 81, 99, 127, 160, 211, 256, 299, 300] {
            for height in [24, 25, 31, 47, 60, 83, 100] {
                let size = Size(width: width, height: height)
                let state = SampleStates.rich()
                Dashboard.render(state, theme: .standard, on: CellGrid(size: size))
                let layout = Dashboard.layout(of: state, size: size)
                let weights = WeightsPanel(state: state, rect: layout.weights)
                for control in weights.controls { #expect(layout.weights.contains(control.rect)) }
                for control in SearchPanel(state: state, rect: layout.search).controls { #expect(layout.search.contains(control.rect)) }
            }
        }
    }

    @Test func tooSmallBelowTheMinimum() {
        #expect(Layout(size: Size(width: 79, height: 40), objectives: 3).isTooSmall)
        #expect(Layout(size: Size(width: 120, height: 23), objectives: 3).isTooSmall)
        #expect(!Layout(size: Layout.minimum, objectives: 5, banner: true).isTooSmall)
    }
}
