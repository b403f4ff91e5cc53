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

/// Several sequences stacked into one set of rows: sequence n owns rows offsets[n] ..< offsets[n] + lengths[n].
struct RowLayout {
    let lengths: [Int]
    let offsets: [Int]
    /// Total rows (R).
    let rows: Int

    init(lengths: [Int]) {
        self.lengths = lengths
        var offsets: [Int] = []
        var total = 0
        for length in lengths {
            offsets.append(total)
            total += length
        }
        self.offsets = offsets
        rows = total
    }

    /// The longest sequence.
    var longest: Int { lengths.max() ?? 0 }
}
