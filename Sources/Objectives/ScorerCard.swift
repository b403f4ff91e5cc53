import Foundation

/// The human-readable card beside a head file: data, split, features, held-out metrics, how to reproduce.
public struct ScorerCard: Sendable {
    public let file: HeadFile

    public init(file: HeadFile) {
        self.file = file
    }

    /// The held-out metrics as aligned `name  value` lines, sorted by name.
    public var metricLines: [String] {
        let width = file.metrics.keys.map(\.count).max() ?? 0
        return file.metrics.keys.sorted().map { key in
            let value = file.metrics[key]!
            let shown = value == value.rounded() && abs(value) >= 1 ? String(Int(value)) : String(format: "%.4f", value)
            return key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + shown
        }
    }

    /// The card in Markdown.
    public var markdown: String {
        let t = file.training
        let heads = file.heads.keys.sorted().map { role in
            let entry = file.heads[role]!
            return "- `\(role)`: \(entry.head.classes)-class linear softmax head on `\(entry.recipe.rawValue)` features (\(entry.head.features) wide)"
        }
        let parameters = file.parameters.keys.sorted().map { "- `\($0)` = \(file.parameters[$0]!)" }
        return """
        # \(file.objective) scorer

        \(Self.summaries[file.objective] ?? "")

        ## Data
        \(t.datasets.map { "- `\($0)` (read from the datasets folder; never copied here)" }.joined(separator: "\n"))
        - split \(t.split), seed \(t.seed)
        - counts: \(t.counts.keys.sorted().map { "\($0) \(t.counts[$0]!)" }.joined(separator: ", "))

        ## Features and heads
        - encoder: \(file.encoder.model), sha256 `\(file.encoder.sha256)`, mean-pooled, L2-normalised, width \(file.encoder.dimension)
        - `response` = response embedding v; `pair` = [u, v, u⊙v, |u−v|, u·v] with u the client side
        \(heads.joined(separator: "\n"))
        \(parameters.joined(separator: "\n"))

        ## Held-out metrics (test side of the split; `validation_*` on the validation side, which made the choices)
        ```
        \(metricLines.joined(separator: "\n"))
        ```

        ## Reproduce
        ```
        \(t.command) [--datasets DIR]
        ```
        Deterministic: the same data and seed give the same heads.

        """
    }

    /// What each scorer measures, for the card's first paragraph.
    static let summaries = [
        ReflectionObjective.objectiveName: """
        score = σ(f)·σ(m)^w: f = form head (is the response a reflection?), m = match head (is it about this \
        client's statement? trained with the client side of other transcripts as negatives), w = `match_weight` \
        (of 0.25 … 3, the one whose smaller combined AUROC, reflection vs not or true vs swapped client, is highest \
        on validation transcripts). Client side = last ≤ 4 utterances, \
        left-truncated; at scoring time it is the prompt. `content_auroc_reflections` compares each held-out \
        reflection with its true client side against the same reflection with another transcript's client side; \
        `_all_responses` does the same over every response; `_same_conversation` draws the other client turn \
        from the same transcript. `form_head_*` and `match_head_*` measure each head alone.
        """,
        EmpathyObjective.objectiveName: """
        score = mean over EPITOME's three mechanisms of E[level]/2 from one 3-level head each on the response \
        embedding. The seeker post is not read: `with_seeker_post_spearman` is the same training on `pair` \
        features of (seeker post, response), for comparison.
        """,
    ]
}
