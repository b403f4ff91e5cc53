import Foundation

/// How the dashboard shares the machine's cores between the UI, generation, search and training (the
/// README's "How the 2 cores are shared" says the same).
///
/// The UI thread runs at normal priority and sleeps in its input wait; every worker lowers its own priority
/// (`WorkerThread.Priority`: generation 2, search and training 10), so a key press preempts them and
/// generation wins a core from search and training. Generation's kernels run on every core, so a new
/// statement's prompt is prefilled as fast as the machine allows; search and the trainers get one thread
/// each, so they never hold more than one core; OpenBLAS (the trainers' f32 gradient) is single-threaded.
public enum CoreShare {
    /// Kernel threads of the generation engine, the calling thread included.
    public static let generationThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Kernel threads of the grid search's own engine.
    public static let searchThreads = 1
    /// Kernel threads of the trainers' rollout engine (shared by every objective's trainer).
    public static let trainingThreads = 1
    /// OpenBLAS threads, for the whole process.
    public static let blasThreads = 1
    /// How long quitting waits for each worker to end before the terminal is restored anyway.
    public static let joinSeconds = 5.0
}
