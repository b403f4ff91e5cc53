import Testing
@testable import Corpus

/// The importers on the real AnnoMI and EPITOME files in `../shared/datasets` (they exist in CI: a missing folder fails).
@Suite(.serialized)
struct RealDatasetTests {
    /// Counts per behaviour of AnnoMI's client → therapist pairs, as observed in both files.
    static let behaviourCounts: [AnnoMIPair.Behaviour: Int] = [
        .reflection: 1_281, .question: 1_322, .therapistInput: 589, .other: 1_551,
    ]

    @Test func annoMISimplePairs() throws {
        let pairs = try AnnoMIImporter.pairs(from: Fixture.dataset("annomi/AnnoMI-simple.csv"))
        #expect(pairs.count == 4_743)
        #expect(Dictionary(grouping: pairs, by: \.behaviour).mapValues(\.count) == Self.behaviourCounts)
        #expect(Set(pairs.map(\.transcriptID)).count == 133)
        #expect(pairs.allSatisfy { $0.subtype == nil })
        #expect(pairs.allSatisfy { (1...AnnoMIImporter.contextLength).contains($0.context.count) })
        #expect(pairs.allSatisfy { $0.context.last == AnnoMIPair.Turn(speaker: .client, text: $0.client) })
    }

    @Test func annoMIFullPairsAddMajoritySubtypes() throws {
        let full = try AnnoMIImporter.pairs(from: Fixture.dataset("annomi/AnnoMI-full.csv"))
        let simple = try AnnoMIImporter.pairs(from: Fixture.dataset("annomi/AnnoMI-simple.csv"))
        #expect(full.count == 4_743)
        #expect(full.map { [$0.transcriptID, $0.clientUtteranceID] } == simple.map { [$0.transcriptID, $0.clientUtteranceID] })
        #expect(full.map(\.behaviour) == simple.map(\.behaviour))
        #expect(full.filter { $0.subtype == .simple }.count == 825)
        #expect(full.filter { $0.subtype == .complex }.count == 682)
        let reflections = full.filter { $0.behaviour == .reflection }
        #expect(reflections.filter { $0.subtype == .simple }.count == 645)
        #expect(reflections.filter { $0.subtype == .complex }.count == 628)
        #expect(reflections.filter { $0.subtype == nil }.count == 8)
    }

    @Test(arguments: [
        (EpitomeRecord.Mechanism.emotionalReactions, [2_037, 895, 152]),
        (.interpretations, [1_626, 114, 1_344]),
        (.explorations, [2_604, 104, 376]),
    ])
    func epitomeLevels(mechanism: EpitomeRecord.Mechanism, counts: [Int]) throws {
        let records = try EpitomeImporter.records(from: Fixture.dataset("epitome/" + mechanism.fileName))
        #expect(records.count == 3_084)
        #expect(EpitomeRecord.Level.allCases.map { level in records.filter { $0.level == level }.count } == counts)
    }

    @Test func epitomeJoinKeepsEveryResponse() throws {
        let responses = try EpitomeImporter.responses(inDirectory: Fixture.dataset("epitome"))
        #expect(responses.count == 3_084)
        #expect(Set(responses.map { [$0.seekerPostID, $0.responsePostID] }).count == 3_023)
        #expect(responses.filter { $0.interpretations == .strong }.count == 1_344)
        #expect(responses.filter { $0.explorations == .strong }.count == 376)
    }
}
