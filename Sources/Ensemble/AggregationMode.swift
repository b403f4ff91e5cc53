/// How the ensemble combines the objective models.
public enum AggregationMode: String, CaseIterable, Hashable, Sendable, Codable {
    /// Weighted sum of the last hidden states, one shared LM head (EMORL).
    case hidden
    /// Weighted mix of the per-model next-token distributions.
    case logits
    /// Weighted merge of the LoRA parameters (model soup).
    case parameters

    /// The mode after this one, wrapping.
    public var next: AggregationMode {
        let all = AggregationMode.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
