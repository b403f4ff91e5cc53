/// Everything a key (or a click on a control) can ask the dashboard to do.
public enum Action: String, CaseIterable, Hashable, Sendable {
    // MARK: - Anywhere
    case quit
    case toggleHelp
    case back
    case focusNext
    case focusPrevious
    case cycleTheme

    // MARK: - Objectives (training and weights panels)
    case selectPreviousObjective
    case selectNextObjective

    // MARK: - Training
    case startTraining
    case pauseOrResumeTraining
    case stopTraining
    case zoomIn
    case zoomOut
    case scrollBack
    case scrollForward
    case toggleSmoothing

    // MARK: - Weights
    case decreaseWeight
    case increaseWeight
    case decreaseWeightLarge
    case increaseWeightLarge
    case enterWeight
    case cycleAggregation

    // MARK: - Reflection
    case nextPrompt
    case previousPrompt
    case typePrompt
    case regenerate
    case toggleCompare

    // MARK: - Search
    case startSearch
    case cancelSearch
    case applyBestWeights

    // MARK: - Overlays and entry
    case scrollUp
    case scrollDown
    case submit
    case deleteBackward
    case confirm
}
