import ArgumentParser
import Corpus
import Foundation
import Objectives
import Tensors

/// `emorl bench score`: responses per second per objective, on batches shaped like one RL step.
///
/// Each run scores a fresh batch (no embedding is reused across runs): prompt k joins client statements 2k and
/// 2k+1 of the training prompts, response k joins their reference reflections (≈ 45 and 40 word pieces). With
/// `--samples S`, each prompt is answered S times (by S different responses), as the trainer's 16 prompts × 3.
struct BenchScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Responses/s per objective on batches of ~40-token prompts and responses (medians)."
    )

    @Option(name: .long, help: "Comma-separated objectives; `reflection+empathy` times the two together (shared embeddings).")
    var objectives = "reflection,empathy,reflection+empathy,fluency"

    @Option(name: .customLong("batch-size"), help: "Responses per batch.")
    var batchSize = 48

    @Option(name: .long, help: "Responses per prompt in a batch (the trainer uses 3).")
    var samples = 1

    @Option(name: .long, help: "Measured runs per objective (the median is reported); one more warms up.")
    var runs = 5

    @Option(name: .long, help: "Threads for the matrix products.")
    var threads = 2

    func validate() throws {
        guard batchSize >= 1, runs >= 1, threads >= 1, samples >= 1 else {
            throw ValidationError("--batch-size, --samples, --runs and --threads must be 1 or more")
        }
        guard batchSize % samples == 0 else { throw ValidationError("--batch-size \(batchSize) is not a multiple of --samples \(samples)") }
    }

    func run() throws {
        BLAS.setThreadCount(threads)
        let records = try PromptSet.load(.train).records.filter { $0.reflection != nil }
        let pairs = stride(from: 0, to: records.count - 1, by: 2).map { k in
            (records[k].client + " " + records[k + 1].client, records[k].reflection! + " " + records[k + 1].reflection!)
        }
        // Batch b: responses of pairs [b·B, (b+1)·B); response i answers the prompt of pair b·B + (i / S)·S.
        let batches = stride(from: 0, to: pairs.count - batchSize + 1, by: batchSize).map { first in
            (first..<(first + batchSize)).map { i in (pairs[first + (i - first) / samples * samples].0, pairs[i].1) }
        }
        let specs = objectives.split(separator: ",").map { $0.split(separator: "+").map(String.init) }
        guard batches.count >= 1 else { throw ValidationError("--batch-size \(batchSize) exceeds the \(pairs.count) bench pairs") }
        let tokenizer = try WordPieceTokenizer(vocabularyPath: EncoderAssets.standard.vocabularyPath)
        let meanTokens = { (texts: [String]) in Double(texts.map { tokenizer.encode($0).count }.reduce(0, +)) / Double(texts.count) }
        print(String(format: "emorl bench score: batches of %d responses (%.0f word pieces) to %d prompts (%.0f word pieces), ",
                     batchSize, meanTokens(batches[0].map(\.1)), batchSize / samples, meanTokens(batches[0].map(\.0)))
              + "\(runs) runs after a warm-up, \(threads) threads, OpenBLAS \(BLAS.coreName), medians; load \(Self.loadAverage)")
        for names in specs {
            var seconds: [Double] = [], cpuSeconds: [Double] = []
            for run in 0...runs {
                let scorers = try ObjectiveRegistry().objectives(named: names)     // fresh caches: nothing reused
                let batch = batches[run % batches.count]
                let started = Date(), cpuStarted = Self.processCPUSeconds
                for scorer in scorers { _ = try scorer.score(prompts: batch.map(\.0), responses: batch.map(\.1)) }
                if run > 0 {
                    seconds.append(Date().timeIntervalSince(started))
                    cpuSeconds.append(Self.processCPUSeconds - cpuStarted)
                }
            }
            let time = median(seconds)
            let label = names.joined(separator: "+").padding(toLength: 20, withPad: " ", startingAt: 0)
            print(label + String(format: " %8.1f responses/s  %7.3f s per batch  (%.3f CPU s)", Double(batchSize) / time, time, median(cpuSeconds)))
        }
        print("load at the end \(Self.loadAverage)")
    }

    /// User + system CPU seconds of this process so far (all threads): a figure other work on the machine skews less.
    static var processCPUSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The 1, 5 and 15-minute load averages from /proc/loadavg (other work on the machine skews every figure).
    static var loadAverage: String {
        let fields = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        return fields.map { $0.joined(separator: " ") } ?? "unknown"
    }
}
