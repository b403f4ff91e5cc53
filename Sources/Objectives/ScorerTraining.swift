import Corpus
import Foundation

/// `emorl scorers train`: reads AnnoMI and EPITOME, trains the reflection and empathy heads, and writes
/// `<objective>.json` and its card `<objective>.md` into the scorers folder.
public struct ScorerTraining: Sendable {
    /// The seed of every split and draw.
    public static let defaultSeed: UInt64 = 2025
    /// The command the cards name.
    public static let command = "emorl scorers train"

    public let datasets: DatasetDirectory
    public let output: URL
    public let seed: UInt64

    public init(datasets: DatasetDirectory, output: URL, seed: UInt64 = defaultSeed) {
        self.datasets = datasets
        self.output = output
        self.seed = seed
    }

    /// Trains both scorers; `log` receives progress lines. Returns the files written.
    public func run(log: (String) -> Void) throws -> [HeadFile] {
        let annoMI = try datasets.annoMI(), epitome = try datasets.epitome()      // fail before the slow part
        let pairs = try AnnoMIImporter.pairs(from: annoMI)
        let responses = try EpitomeImporter.responses(inDirectory: epitome)
        log("read \(pairs.count) AnnoMI pairs and \(responses.count) EPITOME responses from \(datasets.root.path)")

        let cachePath = ScorerEncoder.diskCachePath()
        try FileManager.default.createDirectory(atPath: (cachePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var diskCache: EmbeddingCache?
        let scorer = try ScorerEncoder { encoder in
            let cache = try EmbeddingCache(encoder: encoder, model: ScorerEncoder.model, path: cachePath)
            diskCache = cache
            return cache
        }
        log("embedding cache \(cachePath): \(diskCache!.count) texts")

        let started = Date()
        let reflection = try ReflectionTrainer(embedder: scorer.embedder, tokenizer: scorer.encoder.tokenizer, seed: seed).train(pairs)
        try diskCache!.save()
        log("reflection validation AUROCs (reflection vs not / true vs swapped client) by match weight: "
            + reflection.validation.map { String(format: "w %.2f: %.4f / %.4f", $0.weight, $0.form, $0.content) }.joined(separator: ", ")
            + String(format: "; chosen w %.2f", reflection.matchWeight))
        let empathy = try EmpathyTrainer(embedder: scorer.embedder, seed: seed).train(responses)
        try diskCache!.save()
        log(String(format: "trained in %.0f s (embedding cache now %d texts)", Date().timeIntervalSince(started), diskCache!.count))

        let files = [
            HeadFile(objective: ReflectionObjective.objectiveName, encoder: scorer.identity,
                     heads: ["form": .init(recipe: .response, head: reflection.form), "match": .init(recipe: .pair, head: reflection.match)],
                     parameters: [ReflectionObjective.matchWeightKey: reflection.matchWeight], metrics: reflection.metrics,
                     training: .init(datasets: ["annomi/AnnoMI-full.csv"], split: GroupSplit<Int>.describe(by: "transcript_id"),
                                     seed: seed, counts: reflection.counts, command: Self.command)),
            HeadFile(objective: EmpathyObjective.objectiveName, encoder: scorer.identity,
                     heads: Dictionary(uniqueKeysWithValues: zip(EmpathyObjective.mechanisms, empathy.heads.map { HeadFile.Entry(recipe: .response, head: $0) })),
                     parameters: [:], metrics: empathy.metrics,
                     training: .init(datasets: EpitomeRecord.Mechanism.allCases.map { "epitome/" + $0.fileName },
                                     split: GroupSplit<String>.describe(by: "sp_id (seeker post)"), seed: seed,
                                     counts: empathy.counts, command: Self.command)),
        ]
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for file in files {
            try file.write(to: HeadFile.url(objective: file.objective, in: output))
            try ScorerCard(file: file).markdown.write(to: output.appendingPathComponent(file.objective + ".md"), atomically: true, encoding: .utf8)
        }
        return files
    }
}
