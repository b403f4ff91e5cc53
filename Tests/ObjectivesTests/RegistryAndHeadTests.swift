import Foundation
import Testing
import Tensors
@testable import Objectives

/// The registry's names, head files and their encoder check, and the dataset folder's errors.
struct RegistryAndHeadTests {
    @Test func anUnknownNameListsTheKnownOnes() throws {
        let registry = ObjectiveRegistry(data: URL(fileURLWithPath: "/nonexistent"))
        for name in ["reflexion", "", "external:"] {
            do {
                _ = try registry.objective(named: name)
                Issue.record("\"\(name)\" gave an objective")
            } catch let error as ScorerError {
                #expect(error == .unknownObjective(name: name, known: ObjectiveRegistry.known))
                #expect(error.description.contains("reflection, empathy, fluency, external:<command>"))
            }
        }
    }

    @Test func externalNamesNeedNoAssets() throws {
        let objective = try ObjectiveRegistry(data: URL(fileURLWithPath: "/nonexistent")).objective(named: "external:cat")
        #expect(objective.name == "external:cat")
        #expect(objective is ExternalObjective)
    }

    @Test func aMissingHeadFileSaysHowToRebuildIt() throws {
        let registry = ObjectiveRegistry(data: URL(fileURLWithPath: "/nonexistent"))
        #expect { try registry.objective(named: "empathy") } throws: { error in
            "\(error)".contains("/nonexistent/scorers/empathy.json") && "\(error)".contains("emorl scorers train")
        }
    }

    /// A one-head empathy file for `embedder`.
    func empathyFile(identity: EncoderIdentity, dimension: Int) -> HeadFile {
        let head = HeadFile.Entry(recipe: .response, head: LinearHead(classes: 3, features: dimension))
        return HeadFile(objective: "empathy", encoder: identity,
                        heads: Dictionary(uniqueKeysWithValues: EmpathyObjective.mechanisms.map { ($0, head) }),
                        parameters: [:], metrics: [:],
                        training: .init(datasets: [], split: "none", seed: 0, counts: [:], command: "test"))
    }

    @Test func aHeadFromAnotherEncoderIsRefused() throws {
        let trainedOn = FakeEmbedder(seed: 1), loaded = FakeEmbedder(seed: 2)
        let file = empathyFile(identity: EncoderIdentity(model: "fake", sha256: "abc", embedder: trainedOn), dimension: 8)
        _ = try EmpathyObjective(file: file, source: "empathy.json", embedder: trainedOn,
                                 encoder: EncoderIdentity(model: "fake", sha256: "abc", embedder: trainedOn))
        for other in [EncoderIdentity(model: "fake", sha256: "abc", embedder: loaded),
                      EncoderIdentity(model: "other-model", sha256: "abc", embedder: trainedOn),
                      EncoderIdentity(model: "fake", sha256: "abc", embedder: FakeEmbedder(dimension: 16))] {
            #expect { try EmpathyObjective(file: file, source: "empathy.json", embedder: loaded, encoder: other) } throws: { error in
                guard case .encoderMismatch(let head, _, _) = error as? ScorerError else { return false }
                return head == "empathy.json" && "\(error)".contains("retrain with `emorl scorers train`")
            }
        }
    }

    @Test func headFilesRoundTripAndCheckShapes() throws {
        let embedder = FakeEmbedder()
        let file = empathyFile(identity: EncoderIdentity(model: "fake", sha256: "abc", embedder: embedder), dimension: 8)
        try withTemporaryFolder { path in
        let folder = URL(fileURLWithPath: path)
        let url = HeadFile.url(objective: "empathy", in: folder)
        try file.write(to: url)
        #expect(try HeadFile.read(url) == file)

        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"features\" : 8", with: "\"features\" : 9")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect { try HeadFile.read(url) } throws: { "\($0)".contains("needs 27 weights") }
        #expect { try HeadFile.read(folder.appendingPathComponent("none.json")) } throws: { "\($0)".contains("cannot read it") }
        }
    }

    @Test func aMissingDatasetSaysWhereItLooked() throws {
        try withTemporaryFolder { path in
        let folder = URL(fileURLWithPath: path)
        let absent = DatasetDirectory(flag: folder.appendingPathComponent("nowhere").path)
        #expect { try absent.annoMI() } throws: { "\($0)".contains("nowhere/annomi/AnnoMI-full.csv") && "\($0)".contains("--datasets") }
        let empty = DatasetDirectory(flag: folder.path)
        #expect { try empty.epitome() } throws: { "\($0)".contains("the datasets folder has no epitome/emotional-reactions-reddit.csv") }
        let training = ScorerTraining(datasets: absent, output: folder.appendingPathComponent("out"))
        #expect(throws: ScorerError.self) { try training.run { _ in } }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        }
    }

    @Test func theDatasetFolderComesFromFlagThenEnvironmentThenDefault() {
        let here = URL(fileURLWithPath: "/work/repo")
        #expect(DatasetDirectory(flag: "/d", environment: ["EMORL_DATASETS": "/e"], currentDirectory: here).root.path == "/d")
        #expect(DatasetDirectory(environment: ["EMORL_DATASETS": "/e"], currentDirectory: here).root.path == "/e")
        #expect(DatasetDirectory(environment: [:], currentDirectory: here).root.path == "/work/shared/datasets")
    }
}
