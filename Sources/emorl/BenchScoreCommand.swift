import ArgumentParser
import Corpus
import Foundation
import Objectives
import Tensors

/// `emorl bench score`: responses per second per objective, on batches shaped like one RL step.
///
/// Each run scores a fresh batch (no embedding is reused across runs): prompt k joins client statements 2k and
/// 2k+1 of the training prompts, response k joins their reference reflections (≈ 40 word pieces each).
struct BenchScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Responses/s per objective on batches of ~40-token prompts and responses (medians)."
    )

    @Option(name: .long, help: "Comma-separated objectives; `reflection+empathy` times the two together (shared embeddings).")
    var objectives = "reflection,empathy,reflection+empathy,fluency"

    @Option(name: .customLong("batch-size"), help: "Responses per batch.")
    var batchSize = 48

    @Option(name: .long, help: "Measured runs per objective (the median is reported); one more warms up.")
    var runs = 3

    @Option(name: .long, help: "Threads for the matrix products.")
    var threads = 2

    func validate() throws {
        guard batchSize >= 1, runs >= 1, threads >= 1 else { throw ValidationError("--batch-size, --runs and --threads must be 1 or more") }
    }

    func run() throws {
        BLAS.setThreadCount(threads)
        let records = try PromptSet.load(.train).records.filter { $0.reflection != nil }
        let pairs = stride(from: 0, to: records.count - 1, by: 2).map { k in
            (records[k].client + " " + records[k + 1].client, records[k].reflection! + " " + records[k + 1].reflection!)
        }
        let batches = stride(from: 0, to: pairs.count - batchSize + 1, by: batchSize).map { Array(pairs[$0..<($0 + batchSize)]) }
        let specs = objectives.split(separator: ",").map { $0.split(separator: "+").map(String.init) }
        guard batches.count >= 1 else { throw ValidationError("--batch-size \(batchSize) exceeds the \(pairs.count) bench pairs") }
        print("emorl bench score: batches of \(batchSize), \(runs) runs after a warm-up, \(threads) threads, medians")
        for names in specs {
            var seconds: [Double] = []
            for run in 0...runs {
                let scorers = try ObjectiveRegistry().objectives(named: names)     // fresh caches: nothing reused
                let batch = batches[run % batches.count]
                let started = Date()
                for scorer in scorers { _ = try scorer.score(prompts: batch.map(\.0), responses: batch.map(\.1)) }
                if run > 0 { seconds.append(Date().timeIntervalSince(started)) }
            }
            let time = median(seconds)
            let label = names.joined(separator: "+").padding(toLength: 20, withPad: " ", startingAt: 0)
            print(label + String(format: " %8.1f responses/s  %7.3f s per batch", Double(batchSize) / time, time))
        }
    }
}
