import Tensors

/// One sequence of a training batch: its tokens, which of them are scored, and how each scored token weighs in the loss.
///
/// The loss of the batch is Σ_sequences Σ_t [ c_t · (−log π(token_t | tokens_<t)) + β_t · KL(π ‖ π_base)(· | tokens_<t) ]
/// over the scored positions t ≥ `scoredFrom`. REINFORCE puts its advantages into c_t; β_t is the optional
/// per-token KL penalty to the frozen base (leave `klWeights` nil to switch it off).
public struct TrainingSequence: Sendable {
    /// Prompt and response tokens `[T]`.
    public var tokens: [Int]
    /// First scored position (the response start); tokens before it are context only. At least 1.
    public var scoredFrom: Int
    /// c_t per scored token, `[T − scoredFrom]`.
    public var coefficients: [Float]
    /// β_t per scored token, `[T − scoredFrom]`, or nil for no KL term.
    public var klWeights: [Float]?
    /// The hidden state entering the first adapted block `[T − 1, C]` (the last token is only a target and has no row),
    /// kept from the rollout; nil computes it from the frozen base.
    public var entering: Matrix?

    public init(tokens: [Int], scoredFrom: Int, coefficients: [Float], klWeights: [Float]? = nil, entering: Matrix? = nil) {
        precondition(scoredFrom >= 1 && scoredFrom <= tokens.count, "scoredFrom \(scoredFrom) outside 1...\(tokens.count)")
        precondition(coefficients.count == tokens.count - scoredFrom,
                     "\(coefficients.count) coefficients for \(tokens.count - scoredFrom) scored tokens")
        precondition(klWeights.map { $0.count == coefficients.count } ?? true, "klWeights must have one weight per scored token")
        self.tokens = tokens
        self.scoredFrom = scoredFrom
        self.coefficients = coefficients
        self.klWeights = klWeights
        self.entering = entering
    }

    /// Scored tokens (T − scoredFrom).
    public var scoredCount: Int { tokens.count - scoredFrom }

    /// Rows of the pass (T − 1): row t predicts token t + 1, so the last token is never an input.
    public var rowCount: Int { tokens.count - 1 }

    /// The tokens the pass runs on, all but the last `[T − 1]`.
    var inputs: [Int] { Array(tokens.dropLast()) }
}

/// Several sequences stacked into one set of rows, in segments: each sequence's rows are one segment, or a prompt
/// segment shared with the other samples of the same prompt followed by a segment of its own.
///
/// Samples of one prompt have identical prompt rows everywhere in the pass (same tokens, same entering states, causal
/// attention): sharing stores and computes them once, and their gradient collects every sample's share, exactly.
struct RowLayout {
    /// One run of stored rows: positions `firstPosition ..< firstPosition + length` of `sequence` (the first that owns
    /// them), stored at rows `offset ..< offset + length`; `prefix` is the segment holding positions `0 ..< firstPosition`.
    struct Segment {
        let sequence: Int
        let firstPosition: Int
        let length: Int
        let offset: Int
        let prefix: Int?
    }

    let segments: [Segment]
    /// Per sequence, its segments in position order.
    let sequenceSegments: [[Int]]
    /// Total stored rows (R).
    let rows: Int

    /// One segment per sequence of `lengths` rows.
    init(lengths: [Int]) {
        var segments: [Segment] = [], total = 0
        for (n, length) in lengths.enumerated() {
            segments.append(Segment(sequence: n, firstPosition: 0, length: length, offset: total, prefix: nil))
            total += length
        }
        self.segments = segments
        sequenceSegments = lengths.indices.map { [$0] }
        rows = total
    }

    /// Consecutive sequences with the same prompt (tokens before `scoredFrom`, and entering states there when kept)
    /// share its rows; a sequence that shares nothing is one segment.
    init(sharingPrompts batch: [TrainingSequence]) {
        var segments: [Segment] = [], sequenceSegments: [[Int]] = [], total = 0
        func append(_ sequence: Int, from first: Int, length: Int, prefix: Int?) -> Int {
            segments.append(Segment(sequence: sequence, firstPosition: first, length: length, offset: total, prefix: prefix))
            total += length
            return segments.count - 1
        }
        // samePromptAsPrevious[n]: sequence n continues the prompt of sequence n − 1 (and both reach past it).
        let samePromptAsPrevious = batch.indices.map { n in
            guard n > 0 else { return false }
            let (a, b) = (batch[n - 1], batch[n]), prompt = b.scoredFrom
            guard a.scoredFrom == prompt, a.rowCount >= prompt, b.rowCount >= prompt,
                  a.tokens.prefix(prompt) == b.tokens.prefix(prompt), (a.entering == nil) == (b.entering == nil) else { return false }
            guard let x = a.entering, let y = b.entering else { return true }
            return x.values.prefix(prompt * x.cols) == y.values.prefix(prompt * y.cols)
        }
        for (n, sequence) in batch.enumerated() {
            let prompt = sequence.scoredFrom
            let sharesPrevious = samePromptAsPrevious[n]
            guard sharesPrevious || (n + 1 < batch.count && samePromptAsPrevious[n + 1]) else {
                sequenceSegments.append([append(n, from: 0, length: sequence.rowCount, prefix: nil)])
                continue
            }
            let promptSegment = sharesPrevious ? sequenceSegments[n - 1][0] : append(n, from: 0, length: prompt, prefix: nil)
            var own = [promptSegment]
            if sequence.rowCount > prompt { own.append(append(n, from: prompt, length: sequence.rowCount - prompt, prefix: promptSegment)) }
            sequenceSegments.append(own)
        }
        self.segments = segments
        self.sequenceSegments = sequenceSegments
        rows = total
    }

    /// The longest run of positions a segment's queries see (its prefix and itself).
    var longestVisible: Int { segments.map { $0.length + ($0.prefix.map { segments[$0].length } ?? 0) }.max() ?? 0 }

    /// The stored row of `sequence`'s position `position`.
    func row(sequence: Int, position: Int) -> Int {
        let segment = sequenceSegments[sequence].last { segments[$0].firstPosition <= position }!
        return segments[segment].offset + position - segments[segment].firstPosition
    }

    /// The stored rows of `sequence`'s positions in order.
    func rows(of sequence: Int) -> [Range<Int>] {
        sequenceSegments[sequence].map { segments[$0].offset..<(segments[$0].offset + segments[$0].length) }
    }
}
