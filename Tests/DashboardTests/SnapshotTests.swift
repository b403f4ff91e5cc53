import Testing
@testable import Dashboard

/// Snapshots of every view at the three reference sizes.
@Suite struct SnapshotTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 60)]

    /// Renders `state` on a fresh grid of `size`.
    func rendered(_ state: DashboardState, _ size: Size, unicode: Bool = true) -> CellGrid {
        let grid = CellGrid(size: size, supportsUnicode: unicode)
        Dashboard.render(state, theme: .standard, on: grid)
        return grid
    }

    // MARK: - Whole dashboard

    @Test(arguments: sizes, [2, 3, 4, 5])
    func dashboard(size: Size, objectives: Int) throws {
        try Snapshot.check(rendered(SampleStates.rich(objectives: objectives), size).textDump(), named: "dashboard-\(objectives)obj-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func emptyDashboard(size: Size) throws {
        try Snapshot.check(rendered(SampleStates.empty(), size).textDump(), named: "empty-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func helpOverlay(size: Size) throws {
        var state = SampleStates.rich()
        state.helpVisible = true
        try Snapshot.check(rendered(state, size).textDump(), named: "help-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func bannerEntryAndQuestion(size: Size) throws {
        var state = SampleStates.rich()
        state.errorBanner = "empathy trainer failed: out of memory"
        state.entry = TextEntry(target: .weight(1), text: "0.4")
        try Snapshot.check(rendered(state, size).textDump(), named: "entry-banner-\(size.width)x\(size.height)")
        state.entry = nil
        state.question = "Training of empathy is not saved. Quit anyway?"
        try Snapshot.check(rendered(state, size).textDump(), named: "question-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func comparison(size: Size) throws {
        var state = SampleStates.rich()
        state.focus = .reflection
        state.reflection.comparison = [
            ComparisonColumn(label: "ensemble", text: state.reflection.text, meanScore: 0.79),
            ComparisonColumn(label: "reflection", text: "You want to drink less but Fridays make it hard.", meanScore: 0.71),
            ComparisonColumn(label: "empathy", text: "That sounds really tough, I can hear how much you care.", meanScore: 0.66),
            ComparisonColumn(label: "fluency", text: "Drinking with friends on Fridays is common.", meanScore: 0.58),
            ComparisonColumn(label: "base", text: "Have you tried telling your friends?", meanScore: 0.34),
        ]
        try Snapshot.check(rendered(state, size).textDump(), named: "compare-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func typingStatementWhileGenerating(size: Size) throws {
        var state = SampleStates.rich()
        state.focus = .reflection
        state.reflection.state = .generating
        state.reflection.text = "It sounds like part of you"
        state.entry = TextEntry(target: .statement, text: "My sister says I never listen")
        try Snapshot.check(rendered(state, size).textDump(), named: "typing-\(size.width)x\(size.height)")
    }

    @Test(arguments: sizes)
    func asciiDashboard(size: Size) throws {
        try Snapshot.check(rendered(SampleStates.rich(), size, unicode: false).textDump(), named: "ascii-\(size.width)x\(size.height)")
    }

    @Test func styledDashboard() throws {
        let grid = rendered(SampleStates.rich(), Size(width: 80, height: 24))
        #expect(grid.flushCount == 1, "render shows one whole frame")
        try Snapshot.check(grid.styledDump(), named: "styled-80x24")
    }

    @Test(arguments: [Size(width: 79, height: 24), Size(width: 80, height: 23), Size(width: 40, height: 10)])
    func tooSmall(size: Size) throws {
        try Snapshot.check(rendered(SampleStates.rich(), size).textDump(), named: "too-small-\(size.width)x\(size.height)")
    }
}
