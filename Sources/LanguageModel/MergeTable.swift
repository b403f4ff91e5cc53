/// The merge rules of a BPE vocabulary: which adjacent pair of tokens becomes which token, and in what order.
struct MergeTable: Sendable {
    /// A rule's priority (lower merges first) and the token it makes.
    private struct Rule {
        var rank: Int32
        var id: Int32
        static let none = Rule(rank: .max, id: -1)
    }

    /// Rules keyed by the pair of token ids, left id in the high half.
    private let rules: [UInt64: Rule]

    /// Reads `merges` ("left right", highest priority first) against the vocabulary `ids`.
    init(merges: [String], ids: [String: Int]) throws(TokenizerError) {
        var rules: [UInt64: Rule] = [:]
        rules.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError(field: "tokenizer.ggml.merges",
                                     reason: "merge \(rank) is \"\(merge)\" (expected two tokens separated by one space)")
            }
            guard let left = ids[String(parts[0])], let right = ids[String(parts[1])],
                  let merged = ids[String(parts[0] + parts[1])] else {
                throw TokenizerError(field: "tokenizer.ggml.merges",
                                     reason: "merge \(rank) \"\(merge)\" uses or makes a token missing from tokenizer.ggml.tokens")
            }
            rules[Self.key(left, right)] = Rule(rank: Int32(rank), id: Int32(merged))
        }
        self.rules = rules
    }

    /// `symbols` after applying the rules: always the best-ranked adjacent pair next, the leftmost on a tie.
    func apply(_ symbols: [Int]) -> [Int] {
        var symbols = symbols
        guard symbols.count > 1 else { return symbols }
        // pairs[k] is the rule for (symbols[k], symbols[k + 1]).
        var pairs = (0..<symbols.count - 1).map { rule(symbols[$0], symbols[$0 + 1]) }
        while !pairs.isEmpty {
            var best = 0
            for k in 1..<pairs.count where pairs[k].rank < pairs[best].rank { best = k }
            guard pairs[best].rank != Rule.none.rank else { break }
            symbols[best] = Int(pairs[best].id)
            symbols.remove(at: best + 1)
            pairs.remove(at: best)
            if best > 0 { pairs[best - 1] = rule(symbols[best - 1], symbols[best]) }
            if best < pairs.count { pairs[best] = rule(symbols[best], symbols[best + 1]) }
        }
        return symbols
    }

    private func rule(_ left: Int, _ right: Int) -> Rule {
        rules[Self.key(left, right)] ?? .none
    }

    private static func key(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(left) << 32 | UInt64(right)
    }
}
