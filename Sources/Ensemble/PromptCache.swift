import LanguageModel
import Tensors

/// What an ensemble keeps between generations so that the next one recomputes only what changed: each
/// stream's KV cache over the last prompt, and the streams' final hidden states at its last position.
///
/// Neither depends on the weights in `hidden` and `logits` modes, so a weight change with the same prompt
/// starts decoding from here at the cost of one mix and the head. A new prompt reruns only the positions
/// after the tokens it shares with the last one (the chat template's system part). Positions past the
/// prompt hold the last generation's tokens; the next `prepare` truncates them away.
public struct PromptCache: Sendable {
    /// Positions are allocated in steps of this many, so a somewhat longer next prompt fits without a new cache.
    static let capacityStep = 128

    /// Each stream's adapter (nil: the base model); the caches are only valid for these.
    public private(set) var streams: [LoRAAdapter?] = []
    /// The prompt whose positions the caches hold.
    public private(set) var prompt: [Int] = []
    /// Prompt positions the last `prepare` took from the cache instead of computing them.
    public private(set) var reused = 0
    /// One per stream.
    var caches: [KVCache] = []
    /// Final-norm hidden state of each stream at the prompt's last position `[M, C]`.
    var last = Matrix(rows: 0, cols: 0)

    /// An empty cache: the first `prepare` computes everything.
    public init() {}

    /// Makes the caches hold `prompt` run through `streams`, with room for `newTokens` more positions, and
    /// `last` its hidden states; reuses the longest token prefix shared with the previous prompt when the
    /// streams are the same. False when `stop` ended the pass early: then the cache holds that prefix only.
    mutating func prepare(_ prompt: [Int], streams: [LoRAAdapter?], newTokens: Int, model: any LanguageEngine,
                          stop: () -> Bool) -> Bool {
        precondition(!prompt.isEmpty, "generation needs at least one prompt token")
        let needed = prompt.count + newTokens
        if streams != self.streams || caches.contains(where: { $0.capacity < needed }) {
            let capacity = (needed + Self.capacityStep - 1) / Self.capacityStep * Self.capacityStep
            caches = streams.map { _ in model.makeCache(capacity: capacity) }
            self.streams = streams
            self.prompt = []
        }
        if prompt == self.prompt && last.rows == streams.count {
            for i in caches.indices { caches[i].truncate(to: prompt.count) }
            reused = prompt.count
            return true
        }
        // At least the last position is run again: its hidden state is what the first token needs.
        let shared = zip(prompt, self.prompt).prefix { $0 == $1 }.count
        reused = min(shared, prompt.count - 1)
        for i in caches.indices { caches[i].truncate(to: reused) }
        let rest = Array(prompt[reused...])
        guard let hidden = model.lockstepLastHiddenStates([rest], caches: &caches, adapters: streams, stop: stop) else {
            self.prompt = Array(prompt[..<reused])
            last = Matrix(rows: 0, cols: 0)
            return false
        }
        last = hidden                                                                                   // [M, C]
        self.prompt = prompt
        return true
    }
}
