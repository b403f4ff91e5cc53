import Foundation
import Testing
@testable import Corpus

/// The prompt files shipped in `data/prompts/`: counts, topics and no overlap between splits.
struct ShippedPromptsTests {
    static let minimumCounts: [PromptSet.Split: Int] = [.train: 400, .validation: 60, .test: 60]

    /// All three splits, loaded from the package's data directory.
    static func splits() throws -> [PromptSet.Split: PromptSet] {
        let data = Fixture.packageRoot.appendingPathComponent("data")
        var sets: [PromptSet.Split: PromptSet] = [:]
        for split in PromptSet.Split.allCases { sets[split] = try PromptSet.load(split, from: data) }
        return sets
    }

    @Test(arguments: PromptSet.Split.allCases)
    func splitLoadsWithEnoughRecordsAndTopics(split: PromptSet.Split) throws {
        let set = try PromptSet.load(split, from: Fixture.packageRoot.appendingPathComponent("data"))
        #expect(set.name == split.rawValue)
        #expect(set.count >= Self.minimumCounts[split]!)
        #expect(set.topics.count >= 20)
        #expect(set.records.allSatisfy { $0.topic != nil && $0.reflection != nil })
        #expect(set.records.allSatisfy { $0.id.hasPrefix(split.rawValue + "-") })
    }

    @Test func noIdOrTextIsInTwoPlaces() throws {
        let records = try Self.splits().values.flatMap(\.records)
        let normalize = { (text: String) in text.lowercased().filter { $0.isLetter || $0.isNumber } }
        #expect(Set(records.map(\.id)).count == records.count)
        #expect(Set(records.map { normalize($0.client) }).count == records.count)
        #expect(Set(records.compactMap { $0.reflection.map(normalize) }).count == records.count)
    }

    @Test func everySplitCoversTheSameTopics() throws {
        let sets = try Self.splits()
        let train = sets[.train]!.topics
        #expect(train.count >= 20)
        #expect(sets[.validation]!.topics == train)
        #expect(sets[.test]!.topics == train)
    }

    @Test func reflectionsAreStatementsNotQuestions() throws {
        let reflections = try Self.splits().values.flatMap(\.records).compactMap(\.reflection)
        #expect(reflections.filter { $0.hasSuffix("?") }.isEmpty)
    }
}
