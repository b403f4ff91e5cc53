import Tensors

/// A seeded train / validation / test split of groups (transcripts, seeker posts): every example of a group
/// lands on the same side, so no conversation is on both.
public struct GroupSplit<Group: Hashable & Comparable>: Sendable where Group: Sendable {
    /// The three sides.
    public enum Side: String, CaseIterable, Sendable {
        case train, validation, test
    }

    /// The fractions of groups for validation and test; the rest is train.
    public static var fractions: (validation: Double, test: Double) { (0.1, 0.2) }

    private let sides: [Group: Side]

    /// Shuffles the distinct `groups` (sorted first, so input order does not matter) with `seed` and deals them out.
    public init(groups: some Sequence<Group>, seed: UInt64) {
        var distinct = Array(Set(groups)).sorted()
        var random = SeededRandom(seed: seed)
        distinct.shuffle(using: &random)
        let test = Int((Double(distinct.count) * Self.fractions.test).rounded())
        let validation = Int((Double(distinct.count) * Self.fractions.validation).rounded())
        var sides: [Group: Side] = [:]
        for (index, group) in distinct.enumerated() {
            sides[group] = index < test ? .test : index < test + validation ? .validation : .train
        }
        self.sides = sides
    }

    /// The side of `group` (a group not seen at construction is in train).
    public func side(of group: Group) -> Side {
        sides[group] ?? .train
    }

    /// The indices of `items` on `side`, in order.
    public func indices<T>(of items: [T], on side: Side, group: (T) -> Group) -> [Int] {
        items.indices.filter { self.side(of: group(items[$0])) == side }
    }

    /// A description for the cards, e.g. `by transcript_id: 70% train, 10% validation, 20% test of the groups`.
    public static func describe(by key: String) -> String {
        let f = fractions
        return "by \(key): \(Int((100 * (1 - f.validation - f.test)).rounded()))% train, \(Int((100 * f.validation).rounded()))% validation, \(Int((100 * f.test).rounded()))% test of the groups"
    }
}
