import Corpus
import Ensemble
import Foundation

/// The dashboard's state machine: input and worker snapshots in, a new `DashboardState` and effects out.
///
/// Pure and without ncurses, so every transition is testable on a `CellGrid`; the app loop owns one
/// value of it on the UI thread.
public struct AppModel: Sendable {
    public var state: DashboardState
    /// The client statements `j`/`k` step through (the validation set).
    public let prompts: [PromptRecord]
    /// The statement shown, as an index into `prompts`; nil for a typed one.
    public private(set) var promptIndex: Int?
    /// The id of the latest generation request; progress of older ones is ignored.
    public private(set) var requestID = 0
    /// The seed of the next generation (`g` draws a new sample).
    public private(set) var seed: UInt64 = 0
    /// Whether quitting would lose training that is not checkpointed.
    public internal(set) var unsavedTraining = false
    /// The slider a mouse drag is moving.
    private var dragging: Int?
    /// What `y` answers in the question box.
    private var pendingQuit = false

    public init(state: DashboardState, prompts: [PromptRecord]) {
        self.state = state
        self.prompts = prompts
        if !prompts.isEmpty { showPrompt(0) }
    }

    /// The generation the current state asks for.
    public var request: GenerationRequest {
        GenerationRequest(id: requestID, statement: state.reflection.statement, weights: state.weights, mode: state.aggregation,
                          compare: state.reflection.comparison != nil, seed: seed)
    }

    // MARK: - Input

    /// Applies one terminal input on a screen of `size`.
    public mutating func handle(_ event: InputEvent, size: Size, keys: KeyTable = .standard) -> [Effect] {
        switch event {
        case .resize: return []
        case .mouse(let mouse): return handle(mouse, size: size, keys: keys)
        case .key(let key):
            let context = state.keyContext
            if let action = keys.action(for: key, in: context) { return perform(action) }
            if context == .textEntry, case .character(let character) = key { type(character) }
            return []
        }
    }

    /// Applies a mouse report: clicks hit what they land on, drags move the slider they started on.
    private mutating func handle(_ mouse: MouseEvent, size: Size, keys: KeyTable) -> [Effect] {
        switch mouse.kind {
        case .drag, .release:
            guard let index = dragging else { return [] }
            if mouse.kind == .release { dragging = nil }
            guard let value = Dashboard.sliderValue(index: index, x: mouse.x, state: state, size: size) else { return [] }
            return setWeight(index, value)
        case .scrollUp, .scrollDown:
            let up = mouse.kind == .scrollUp
            if state.helpVisible { return perform(up ? .scrollUp : .scrollDown) }
            guard Dashboard.layout(of: state, size: size).training.contains(x: mouse.x, y: mouse.y) else { return [] }
            return perform(up ? .zoomIn : .zoomOut)
        case .press:
            guard let target = Dashboard.hitTest(x: mouse.x, y: mouse.y, state: state, size: size, keys: keys) else { return [] }
            switch target {
            case .panel(let panel):
                state.focus = panel
                return []
            case .objective(let index):
                if let panel = panel(at: mouse, size: size) { state.focus = panel }
                state.selectedObjective = index
                return []
            case .slider(let index, let value):
                state.focus = .weights
                state.selectedObjective = index
                dragging = index
                return setWeight(index, value)
            case .aggregation(let mode):
                state.focus = .weights
                return setMode(mode)
            case .button(let action):
                return perform(action)
            }
        }
    }

    private func panel(at mouse: MouseEvent, size: Size) -> Panel? {
        let layout = Dashboard.layout(of: state, size: size)
        return Panel.allCases.first { layout.rect(of: $0).contains(x: mouse.x, y: mouse.y) }
    }

    // MARK: - Actions

    /// Does what `action` asks (from a key or a clicked control).
    public mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .quit:
            if state.question != nil || !unsavedTraining { return [.quit] }
            state.question = "Training that is not saved would be lost. Quit anyway?"
            pendingQuit = true
            return []
        case .confirm:
            return pendingQuit ? [.quit] : []
        case .toggleHelp:
            state.helpVisible.toggle()
            state.helpScroll = 0
        case .back: back()
        case .focusNext: moveFocus(by: 1)
        case .focusPrevious: moveFocus(by: -1)
        case .cycleTheme: return [.cycleTheme]
        case .selectPreviousObjective: selectObjective(by: -1)
        case .selectNextObjective: selectObjective(by: 1)
        case .startTraining: return [.training(objective: state.selectedObjective, .start)]
        case .pauseOrResumeTraining:
            let paused = state.objectives[state.selectedObjective].state == .paused
            return [.training(objective: state.selectedObjective, paused ? .resume : .pause)]
        case .stopTraining: return [.training(objective: state.selectedObjective, .stop)]
        case .zoomIn: state.chart.zoom = min(state.chart.zoom + 1, 8)
        case .zoomOut: state.chart.zoom = max(state.chart.zoom - 1, 0)
        case .scrollBack: state.chart.scrollBack += scrollStep
        case .scrollForward: state.chart.scrollBack = max(0, state.chart.scrollBack - scrollStep)
        case .toggleSmoothing: state.chart.smoothed.toggle()
        case .decreaseWeight: return stepWeight(by: -0.01)
        case .increaseWeight: return stepWeight(by: 0.01)
        case .decreaseWeightLarge: return stepWeight(by: -0.1)
        case .increaseWeightLarge: return stepWeight(by: 0.1)
        case .enterWeight: state.entry = TextEntry(target: .weight(state.selectedObjective))
        case .cycleAggregation: return setMode(state.aggregation.next)
        case .nextPrompt: return stepPrompt(by: 1)
        case .previousPrompt: return stepPrompt(by: -1)
        case .typePrompt: state.entry = TextEntry(target: .statement)
        case .regenerate:
            seed &+= 1
            return regenerate()
        case .toggleCompare:
            state.reflection.comparison = state.reflection.comparison == nil ? comparisonPlaceholders : nil
            if state.reflection.comparison != nil, state.focus == .search { state.focus = .reflection }
            return regenerate()
        case .startSearch: return state.search.state == .running ? [] : [.startSearch]
        case .cancelSearch: return state.search.state == .running ? [.cancelSearch] : []
        case .applyBestWeights:
            guard let best = state.search.bestWeights, best.count == state.weights.count, best != state.weights else { return [] }
            state.weights = best
            return regenerate()
        case .scrollUp: state.helpScroll = max(0, state.helpScroll - 1)
        case .scrollDown: state.helpScroll += 1
        case .submit: return submit()
        case .deleteBackward:
            if !(state.entry?.text.isEmpty ?? true) { state.entry?.text.removeLast() }
        }
        return []
    }

    /// Esc: the topmost thing that can close, closes.
    private mutating func back() {
        if state.question != nil {
            state.question = nil
            pendingQuit = false
        } else if state.entry != nil {
            state.entry = nil
        } else if state.helpVisible {
            state.helpVisible = false
        } else if state.errorBanner != nil {
            state.errorBanner = nil
        } else if state.reflection.comparison != nil {
            state.reflection.comparison = nil
        }
    }

    /// The panels focus moves through (search is hidden while comparing).
    private var focusablePanels: [Panel] {
        state.reflection.comparison == nil ? Panel.allCases : Panel.allCases.filter { $0 != .search }
    }

    private mutating func moveFocus(by step: Int) {
        let panels = focusablePanels
        let current = panels.firstIndex(of: state.focus) ?? 0
        state.focus = panels[(current + step + panels.count) % panels.count]
    }

    private mutating func selectObjective(by step: Int) {
        let count = state.objectives.count
        state.selectedObjective = (state.selectedObjective + step + count) % count
    }

    /// A quarter of the time span the chart shows.
    private var scrollStep: Double {
        let steps = state.objectives.flatMap { $0.curve.map(\.step) }
        let span = Double((steps.max() ?? 0) - (steps.min() ?? 0))
        return max(1, span / Double(1 << state.chart.zoom) / 4)
    }

    // MARK: - Weights, mode and statement

    private mutating func stepWeight(by delta: Double) -> [Effect] {
        setWeight(state.selectedObjective, state.weights[state.selectedObjective] + delta)
    }

    /// Sets weight `index` to `value` clamped to [0, 1] in hundredths; regenerates when it changed.
    private mutating func setWeight(_ index: Int, _ value: Double) -> [Effect] {
        let clamped = (min(max(value, 0), 1) * 100).rounded() / 100
        guard state.weights.indices.contains(index), clamped != state.weights[index] else { return [] }
        state.weights[index] = clamped
        return regenerate()
    }

    private mutating func setMode(_ mode: AggregationMode) -> [Effect] {
        guard mode != state.aggregation else { return [] }
        state.aggregation = mode
        return regenerate()
    }

    private mutating func stepPrompt(by step: Int) -> [Effect] {
        guard !prompts.isEmpty else { return [] }
        let next = ((promptIndex ?? (step > 0 ? -1 : 0)) + step + prompts.count) % prompts.count
        showPrompt(next)
        return regenerate()
    }

    private mutating func showPrompt(_ index: Int) {
        promptIndex = index
        state.reflection.statement = prompts[index].client
        state.reflection.source = "validation \(index + 1)/\(prompts.count)"
    }

    /// Typing into the open entry: digits and a point for a weight, anything printable for a statement.
    private mutating func type(_ character: Character) {
        guard let entry = state.entry else { return }
        if case .weight = entry.target, !(character.isNumber || character == ".") { return }
        state.entry?.text.append(character)
    }

    /// Enter in an entry: a weight must be a number in [0, 1], a statement must not be blank.
    private mutating func submit() -> [Effect] {
        guard let entry = state.entry else { return [] }
        switch entry.target {
        case .weight(let index):
            guard let value = Double(entry.text), (0...1).contains(value) else {
                state.errorBanner = "\"\(entry.text)\" is not a weight: type a number from 0 to 1"
                return []
            }
            state.entry = nil
            return setWeight(index, value)
        case .statement:
            let text = entry.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return [] }
            state.entry = nil
            promptIndex = nil
            state.reflection.statement = text
            state.reflection.source = "typed"
            return regenerate()
        }
    }

    /// A new request id; the reflection starts over.
    private mutating func regenerate() -> [Effect] {
        requestID += 1
        state.reflection.text = ""
        state.reflection.scores = []
        state.reflection.firstTokenSeconds = nil
        state.reflection.totalSeconds = nil
        if let columns = state.reflection.comparison { state.reflection.comparison = columns.map { ComparisonColumn(label: $0.label, text: "") } }
        return [.regenerate]
    }

    /// Empty columns for the ensemble, each objective's adapter and the base.
    private var comparisonPlaceholders: [ComparisonColumn] {
        (["ensemble"] + state.objectives.map(\.name) + ["base"]).map { ComparisonColumn(label: $0, text: "") }
    }
}
