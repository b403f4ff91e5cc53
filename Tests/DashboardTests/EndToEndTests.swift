import Foundation
import Testing
@testable import Dashboard

/// The real `emorl` binary on the real model under a private tmux server: keys, mouse, help, resize,
/// training, quit.
///
/// It runs `.build/debug/emorl` (build it with `swift build` first; the test fails, never skips, when
/// it is missing). The third objective is the toy external scorer, trained with `--train-small` into a
/// fresh run directory.
@Suite(.serialized) struct EndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/emorl")
    static let size = Size(width: 120, height: 40)

    static let objectives = ["reflection", "empathy", "external:python3 Tests/ObjectivesTests/Fixtures/toy_scorer.py"]

    /// The main view's geometry for the three objectives at 120×40, from the same code that draws it.
    let state = DashboardState(objectives: Self.objectives.enumerated().map { ObjectiveStatus(name: $1, colorIndex: $0) })
    var layout: Layout { Dashboard.layout(of: state, size: Self.size) }

    /// The row of objective `index` in the training panel's table.
    func trainingRow(_ index: Int, _ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let rect = TrainingPanel(state: state, rect: layout.training).controls[index].rect
        guard rect.y < rows.count else { return "" }
        let row = rows[rect.y]
        return String(row[min(rect.x, row.count)..<min(rect.maxX, row.count)])
    }

    /// Whether `row` shows a figure (a reward like 0.123) rather than only dashes.
    func hasFigure(_ row: String) -> Bool { row.contains(/[0-9]\.[0-9]{3}/) }

    /// The reflection text on `screen`: the text column of the reflection panel after `Reflection:`.
    func reflection(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let inner = layout.reflection.inset(dx: 1, dy: 1)
        let textWidth = inner.width - min(40, inner.width / 3) - 1
        let text = (inner.y..<(inner.maxY - 1)).map { y -> String in
            guard y < rows.count else { return "" }
            let row = rows[y]
            return String(row[min(inner.x, row.count)..<min(inner.x + textWidth, row.count)]).trimmingCharacters(in: .whitespaces)
        }.joined(separator: " ")
        guard let start = text.range(of: "Reflection:") else { return "" }
        return text[start.upperBound...].trimmingCharacters(in: .whitespaces)
    }

    /// The value shown at the right of the empathy slider.
    func empathyWeight(_ screen: String) -> String? {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let value = WeightsPanel(state: state, rect: layout.weights).slider(1).value
        guard value.y < rows.count, rows[value.y].count >= value.maxX else { return nil }
        return String(rows[value.y][value.x..<value.maxX]).trimmingCharacters(in: .whitespaces)
    }

    /// What the status line says about the adapters: the shipped ones (`data/adapters/<objective>/`) of the objectives.
    static var adapterSummary: String {
        let shipped = objectives.filter { name in
            FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("data/adapters/\(name)/adapter_config.json").path)
        }.count
        return shipped == 0 ? "no trained adapters: base model" : "\(shipped) of \(objectives.count) adapters trained"
    }

    func finished(_ screen: String) -> Bool { screen.contains("done · \(Self.adapterSummary) · first token") }

    @Test(.timeLimit(.minutes(10)))
    func keysMouseHelpResizeTrainingAndQuitOnTheRealModel() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            Issue.record("no \(Self.binary.path): run `swift build` before the end-to-end test")
            return
        }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("emorl-e2e-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: run) }
        let program = "cd '\(Self.packageRoot.path)' && TERM=xterm-256color LANG=C.UTF-8 '\(Self.binary.path)' --max-tokens 24 "
            + "--run '\(run.path)' --train-small --objectives '\(Self.objectives.joined(separator: ","))'"
        try tmux.start(program, then: "stty -a | tr ' ' '\\n' | grep -x -- '-\\{0,1\\}icanon'; sleep 600",
                       width: Self.size.width, height: Self.size.height)

        // Launch: loading progress, then the first reflection.
        var screen = try tmux.wait(300, for: "the first reflection") { finished($0) }
        let first = reflection(screen)
        #expect(!first.isEmpty, "a reflection is on screen")
        #expect(screen.contains(Self.adapterSummary))
        #expect(try tmux.format("#{mouse_sgr_flag}#{mouse_button_flag}") == "11", "mouse reporting with drag is on")

        // The shipped search (data/adapters/search) weighed the shipped adapters, not this external objective: the sliders start at 1.
        #expect(try DashboardSession.shippedWeights(data: Self.packageRoot.appendingPathComponent("data"), objectives: Self.objectives) == nil)
        #expect(empathyWeight(screen) == "1.00")

        // Keys: select empathy, five large steps down.
        try tmux.keys("j", "H", "H", "H", "H", "H")
        screen = try tmux.wait(10, for: "empathy at 0.50") { empathyWeight($0) == "0.50" }
        screen = try tmux.wait(300, for: "the reflection after the key presses") { finished($0) && empathyWeight($0) == "0.50" }
        let afterKeys = reflection(screen)

        // Mouse: press on the empathy knob, drag to 0.1, release there.
        let slider = WeightsPanel(state: state, rect: layout.weights).slider(1)
        try tmux.mouse("press", x: slider.column(for: 0.5), y: slider.track.y)
        try tmux.mouse("drag", x: slider.column(for: 0.3), y: slider.track.y)
        try tmux.mouse("drag", x: slider.column(for: 0.1), y: slider.track.y + 1)
        try tmux.mouse("release", x: slider.column(for: 0.1), y: slider.track.y + 1)
        screen = try tmux.wait(10, for: "empathy near 0.10 after the drag") { empathyWeight($0).flatMap(Double.init).map { abs($0 - 0.1) < 0.03 } ?? false }
        screen = try tmux.wait(300, for: "the reflection after the drag") { finished($0) }
        let afterDrag = reflection(screen)
        #expect(Set([first, afterKeys, afterDrag]).count > 1, "the reflection changed with the weights: \(first) | \(afterKeys) | \(afterDrag)")

        // Help opens over everything and closes with esc.
        try tmux.keys("?")
        screen = try tmux.wait(5, for: "the help overlay") { $0.contains("Anywhere") && $0.contains("Keys") }
        try tmux.keys("Escape")
        screen = try tmux.wait(5, for: "help to close") { !$0.contains("Anywhere") }

        // Resize: smaller, too small, back.
        try tmux.tmux(["resize-window", "-t", tmux.name, "-x", "90", "-y", "30"])
        screen = try tmux.wait(5, for: "a 90×30 frame") { $0.split(separator: "\n").first.map { $0.count <= 90 && $0.contains("Training") } ?? false }
        try tmux.tmux(["resize-window", "-t", tmux.name, "-x", "60", "-y", "20"])
        screen = try tmux.wait(5, for: "the too-small notice") { $0.contains("too small") }
        try tmux.tmux(["resize-window", "-t", tmux.name, "-x", "120", "-y", "40"])
        screen = try tmux.wait(5, for: "the full frame again") { $0.contains("Weights") && $0.contains("Search") }

        // Training: click the toy objective's row, start it, see its first point, pause it.
        let toy = TrainingPanel(state: state, rect: layout.training).controls[2].rect
        #expect(!hasFigure(trainingRow(2, screen)), "no figures before training: \(trainingRow(2, screen))")
        try tmux.mouse("press", x: toy.x + 2, y: toy.y)
        try tmux.mouse("release", x: toy.x + 2, y: toy.y)
        try tmux.keys("s")
        screen = try tmux.wait(300, for: "the first training point") { hasFigure(trainingRow(2, $0)) && !$0.contains("no training yet") }
        #expect(trainingRow(2, screen).contains("running"))
        try tmux.keys("p")
        screen = try tmux.wait(10, for: "the training paused") { trainingRow(2, $0).contains("paused") }
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("external_python3_Tests_ObjectivesTests_Fixtures_toy_scorer.py/metrics.jsonl").path))

        // Quit: answer the question when the paused run has unsaved steps; then the exit status and a terminal
        // in canonical mode with mouse reporting off.
        try tmux.keys("q")
        screen = try tmux.wait(10, for: "the quit question or the shell", exitExpected: true) { $0.contains("lost") || $0.contains("EXIT ") }
        if !screen.contains("EXIT ") { try tmux.keys("y") }
        screen = try tmux.wait(10, for: "the shell after quitting", exitExpected: true) { $0.contains("EXIT ") && $0.contains("icanon") }
        #expect(screen.contains("EXIT 0"))
        #expect(screen.split(separator: "\n").contains("icanon"), "canonical input restored")
        #expect(try tmux.format("#{alternate_on}#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}") == "0000")
    }
}
