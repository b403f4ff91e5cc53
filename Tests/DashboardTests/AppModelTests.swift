import Corpus
import Testing
@testable import Dashboard

/// The state machine, action by action, without a terminal.
@Suite struct AppModelTests {
    static let size = Size(width: 120, height: 40)
    static let prompts = (1...3).map { PromptRecord(id: "v\($0)", client: "statement \($0)") }

    func model(unsaved: Bool = false) -> AppModel {
        var model = AppModel(state: SampleStates.empty(), prompts: Self.prompts)
        if unsaved {
            model.apply(TrainingSnapshot(objectives: model.state.objectives, unsaved: true))
        }
        return model
    }

    @discardableResult
    func press(_ model: inout AppModel, _ keys: Key...) -> [Effect] {
        keys.flatMap { model.handle(.key($0), size: Self.size) }
    }

    @Test func startsOnTheFirstPromptWithFullWeights() {
        let model = model()
        #expect(model.state.reflection.statement == "statement 1")
        #expect(model.state.reflection.source == "validation 1/3")
        #expect(model.state.weights == [1, 1, 1])
        #expect(model.request.id == 0)
    }

    @Test func weightKeysStepClampAndRegenerate() {
        var model = model()
        model.state.focus = .weights
        #expect(press(&model, .down) == [])
        #expect(press(&model, .left) == [.regenerate])
        #expect(model.state.weights == [1, 0.99, 1])
        press(&model, .character("H"), .character("H"))
        #expect(model.state.weights[1] == 0.79)
        let effects = press(&model, .right, .right, .character("L"), .character("L"), .character("L"))
        #expect(effects == Array(repeating: .regenerate, count: 4), "clamped at 1: the last step changes nothing")
        #expect(model.state.weights[1] == 1)
        #expect(model.request.id == 7)
    }

    @Test func numericEntryAcceptsOnlyWeights() {
        var model = model()
        model.state.focus = .weights
        press(&model, .character("e"), .character("0"), .character("x"), .character("."), .character("2"), .character("5"))
        #expect(model.state.entry?.text == "0.25", "letters are not typed into a weight")
        #expect(press(&model, .enter) == [.regenerate])
        #expect(model.state.weights[0] == 0.25)
        #expect(model.state.entry == nil)
        press(&model, .enter, .character("7"), .enter)
        #expect(model.state.errorBanner?.contains("not a weight") == true)
        press(&model, .escape, .escape)
        #expect(model.state.entry == nil && model.state.errorBanner == nil)
    }

    @Test func promptsStepAndTypedStatementsReplaceThem() {
        var model = model()
        model.state.focus = .reflection
        #expect(press(&model, .down) == [.regenerate])
        #expect(model.state.reflection.statement == "statement 2")
        press(&model, .up, .up)
        #expect(model.state.reflection.statement == "statement 3", "wraps around")
        press(&model, .character("i"))
        for character in "I feel stuck" { press(&model, .character(character)) }
        press(&model, .backspace)
        #expect(press(&model, .enter) == [.regenerate])
        #expect(model.state.reflection.statement == "I feel stuc")
        #expect(model.state.reflection.source == "typed")
        #expect(model.promptIndex == nil)
    }

    @Test func modeCompareAndRegenerate() {
        var model = model()
        model.state.focus = .weights
        #expect(press(&model, .character("m")) == [.regenerate])
        #expect(model.state.aggregation == .logits)
        model.state.focus = .reflection
        let seed = model.seed
        press(&model, .character("g"))
        #expect(model.seed != seed, "generate again draws a new sample")
        #expect(press(&model, .character("c")) == [.regenerate])
        #expect(model.state.reflection.comparison?.map(\.label) == ["ensemble", "reflection", "empathy", "fluency", "base"])
        #expect(model.request.compare)
        press(&model, .tab, .tab, .tab)
        #expect(model.state.focus != .search, "search is hidden while comparing")
        press(&model, .escape)
        #expect(model.state.reflection.comparison == nil)
    }

    @Test func focusCyclesBothWays() {
        var model = model()
        model.state.focus = .training
        press(&model, .tab)
        #expect(model.state.focus == .weights)
        press(&model, .backTab, .backTab)
        #expect(model.state.focus == .search)
    }

    @Test func helpOpensScrollsAndCloses() {
        var model = model()
        press(&model, .character("?"), .down, .down)
        #expect(model.state.helpVisible && model.state.helpScroll == 2)
        #expect(press(&model, .character("q")) == [], "q closes help, it does not quit")
        #expect(!model.state.helpVisible)
    }

    @Test func quitAsksOnlyWhenTrainingWouldBeLost() {
        var free = model()
        #expect(press(&free, .character("q")) == [.quit])
        var busy = model(unsaved: true)
        #expect(press(&busy, .character("q")) == [])
        #expect(busy.state.question != nil)
        #expect(press(&busy, .character("n")) == [])
        #expect(busy.state.question == nil)
        press(&busy, .control("c"))
        #expect(press(&busy, .character("y")) == [.quit])
    }

    @Test func trainingAndSearchKeysBecomeEffects() {
        var model = model()
        model.state.focus = .training
        press(&model, .down)
        #expect(press(&model, .character("s")) == [.training(objective: 1, .start)])
        #expect(press(&model, .character("p")) == [.training(objective: 1, .pause)])
        model.state.objectives[1].state = .paused
        #expect(press(&model, .character("p")) == [.training(objective: 1, .resume)])
        #expect(press(&model, .character("x")) == [.training(objective: 1, .stop)])
        model.state.focus = .search
        #expect(press(&model, .character("s")) == [.startSearch])
        model.state.search.state = .running
        #expect(press(&model, .character("s")) == [])
        #expect(press(&model, .character("x")) == [.cancelSearch])
        model.state.search.bestWeights = [0.5, 0.25, 1]
        #expect(press(&model, .character("a")) == [.regenerate])
        #expect(model.state.weights == [0.5, 0.25, 1])
    }

    @Test func mouseClickAndDragMoveASlider() {
        var model = model()
        let geometry = WeightsPanel(state: model.state, rect: Dashboard.layout(of: model.state, size: Self.size).weights).slider(1)
        let y = geometry.track.y
        #expect(model.handle(.mouse(MouseEvent(kind: .press, x: geometry.column(for: 0.5), y: y)), size: Self.size) == [.regenerate])
        #expect(abs(model.state.weights[1] - 0.5) < 0.03)
        #expect(model.state.focus == .weights && model.state.selectedObjective == 1)
        #expect(model.handle(.mouse(MouseEvent(kind: .drag, x: geometry.track.x - 5, y: y + 3)), size: Self.size) == [.regenerate])
        #expect(model.state.weights[1] == 0, "a drag keeps moving its slider off the track")
        _ = model.handle(.mouse(MouseEvent(kind: .release, x: geometry.column(for: 0.2), y: y)), size: Self.size)
        #expect(abs(model.state.weights[1] - 0.2) < 0.03)
        #expect(model.handle(.mouse(MouseEvent(kind: .drag, x: geometry.column(for: 0.9), y: y)), size: Self.size) == [],
                "after release, motion moves nothing")
    }

    @Test func stalePredecessorsAreIgnored() {
        var model = model()
        model.state.focus = .weights
        press(&model, .left)
        model.apply(GenerationProgress(id: 0, text: "old", state: .generating))
        #expect(model.state.reflection.text == "")
        model.apply(GenerationProgress(id: 1, text: "new", state: .done, firstTokenSeconds: 0.1, totalSeconds: 1, scores: [0.5]))
        #expect(model.state.reflection.text == "new" && model.state.reflection.state == .done)
    }

    @Test func engineStatusAndWorkerErrorsShow() {
        var model = model()
        model.apply(EngineStatus.loading("weights"))
        #expect(model.state.reflection.state == .loading("weights"))
        model.apply(EngineStatus.ready(summary: "no trained adapters: base model"))
        #expect(model.state.reflection.model == "no trained adapters: base model")
        model.apply(EngineStatus.failed("cannot load"))
        #expect(model.state.errorBanner == "cannot load")
        let grid = CellGrid(size: Self.size)
        Dashboard.render(model.state, theme: .standard, on: grid)
        #expect(grid.textDump().contains("! cannot load"))
    }
}
