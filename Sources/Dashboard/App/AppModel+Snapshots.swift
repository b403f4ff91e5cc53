/// Worker snapshots merged into the state; each worker owns its part.
extension AppModel {
    /// The generation worker's progress, when it is for the latest request.
    public mutating func apply(_ progress: GenerationProgress) {
        guard progress.id == requestID else { return }
        state.reflection.text = progress.text
        state.reflection.state = progress.state
        state.reflection.firstTokenSeconds = progress.firstTokenSeconds
        state.reflection.totalSeconds = progress.totalSeconds
        state.reflection.scores = progress.scores
        if var columns = state.reflection.comparison, let done = progress.comparison {
            for (index, column) in done.enumerated() where columns.indices.contains(index) {
                columns[index].text = column.text
                columns[index].meanScore = column.meanScore
            }
            state.reflection.comparison = columns
        }
    }

    /// The engine's loading stages, its summary once ready, or why it failed.
    public mutating func apply(_ status: EngineStatus) {
        switch status {
        case .loading(let stage):
            state.reflection.state = .loading(stage)
        case .ready(let summary):
            state.reflection.model = summary
            if case .loading = state.reflection.state { state.reflection.state = .idle }
        case .failed(let message):
            state.reflection.state = .failed(message)
            state.errorBanner = message
        }
    }

    /// The search worker's status.
    public mutating func apply(_ search: SearchStatus) {
        state.search = search
    }

    /// The training figures and curves, objective by objective (names and colours stay).
    public mutating func apply(_ training: TrainingSnapshot) {
        for (index, status) in training.objectives.enumerated() where state.objectives.indices.contains(index) {
            var merged = status
            merged.name = state.objectives[index].name
            merged.colorIndex = state.objectives[index].colorIndex
            state.objectives[index] = merged
        }
        unsavedTraining = training.unsaved
    }

    /// A worker's failure, shown in the banner until dismissed.
    public mutating func report(_ message: String) {
        state.errorBanner = message
    }
}
