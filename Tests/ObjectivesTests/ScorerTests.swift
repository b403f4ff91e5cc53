import Corpus
import Foundation
import LanguageModel
import Testing
import Tensors
@testable import Objectives

/// The shipped scorers on the real encoder and model: fluency against shuffled words, the shipped heads'
/// recorded held-out figures, and reflection's dependence on the client statement.
struct ScorerTests {
    /// The registry over the repository's data/ folder.
    static let registry = ObjectiveRegistry(data: DataDirectory.locate())

    @Test func fluentResponsesBeatTheirWordsShuffled() throws {
        let gguf = try GGUFFile(path: try AssetCache().require(AssetCache().defaultModel).path)
        let fluency = FluencyObjective(model: try QuantizedLlama(gguf: gguf, threads: 2), tokenizer: try BPETokenizer(gguf: gguf),
                                       prompt: try CounselorPrompt(contentsOf: DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt")))
        // Client statements and plain replies written for this test, one tab-separated pair a line (the references
        // in data/prompts are livelier prose, and many exceed perplexity 50 under this model, where the paper's
        // score clips to its floor in both orders).
        let pairs = try String(contentsOfFile: try Assets.fixture("fluent_pairs.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let clients = pairs.map { $0[0] }, fluent = pairs.map { $0[1] }
        var random = SeededRandom(seed: 11)
        let shuffled = fluent.map { text -> String in
            var words = text.split(separator: " ").map(String.init)
            repeat { words.shuffle(using: &random) } while words.joined(separator: " ") == text
            return words.joined(separator: " ")
        }
        #expect(fluent.count >= 50)
        let a = try fluency.score(prompts: clients, responses: fluent), b = try fluency.score(prompts: clients, responses: shuffled)
        let wins = zip(a, b).filter { $0 > $1 }.count
        #expect(Double(wins) >= 0.95 * Double(fluent.count), "fluent above shuffled in \(wins) of \(fluent.count)")
        #expect(a.allSatisfy { FluencyObjective.range.contains($0) } && b.allSatisfy { FluencyObjective.range.contains($0) })
        #expect(try fluency.score(prompts: ["hi"], responses: [""]) == [FluencyObjective.range.lowerBound])
    }

    /// The batched pass (shared system prefix, one context pass per client turn, answers after it, gathered rows)
    /// against one plain forward per pair; the first client has three answers, as a training step's samples do.
    @Test func batchedPerplexitiesEqualOnePairAtATime() throws {
        let gguf = try GGUFFile(path: try AssetCache().require(AssetCache().defaultModel).path)
        let model = try QuantizedLlama(gguf: gguf, threads: 2), tokenizer = try BPETokenizer(gguf: gguf)
        let prompt = try CounselorPrompt(contentsOf: DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt"))
        let clients = ["I can't sleep since the move.", "My boss keeps changing the plan.", "I can't sleep since the move.",
                       "We argue about money every week.", "I can't sleep since the move."]
        let responses = ["The move has cost you your sleep.", "", "Since moving, sleep has not come easily to you.",
                         "Money has become a weekly fight between you two, and it wears you out.", "You are tired."]
        let batched = FluencyObjective(model: model, tokenizer: tokenizer, prompt: prompt).perplexities(prompts: clients, responses: responses)
        for (i, client) in clients.enumerated() {
            let context = prompt.tokens(client: client, tokenizer: tokenizer), answer = tokenizer.encode(responses[i])
            guard !answer.isEmpty else { #expect(batched[i] == .infinity); continue }
            var caches = [model.makeCache(capacity: context.count + answer.count)]
            let logits = model.logits(model.hiddenStates([context + answer], caches: &caches, adapters: [nil]))   // [T, V]
            let nll = answer.enumerated().map { k, token in -Double(VectorMath.logSoftmax(logits.row(context.count - 1 + k))[token]) }
            let alone = exp(nll.reduce(0, +) / Double(answer.count))
            #expect(abs(batched[i] - alone) <= 1e-4 * alone, "pair \(i): \(batched[i]) vs \(alone)")
        }
    }

    /// The trainer's path: perplexities read from the residual rows a rollout kept entering the first adapted block
    /// (here computed with an adapter on blocks 26-29, which must not matter) equal the text path's for the same
    /// tokens. Six clients with three answers each (two passes of 16 pairs), an empty and a one-token answer among them.
    @Test func perplexitiesFromARolloutTraceEqualTheTextPath() throws {
        let gguf = try GGUFFile(path: try AssetCache().require(AssetCache().defaultModel).path)
        let model = try QuantizedLlama(gguf: gguf, threads: 2), tokenizer = try BPETokenizer(gguf: gguf)
        let prompt = try CounselorPrompt(contentsOf: DataDirectory.locate().appendingPathComponent("counselor-system-prompt.txt"))
        let fluency = FluencyObjective(model: model, tokenizer: tokenizer, prompt: prompt)
        let clients = ["I can't sleep since the move.", "My boss keeps changing the plan.", "We argue about money every week.",
                       "My sister stopped calling me.", "I failed the exam again.", "I drink more than I used to."]
        let answers = ["The move has cost you your sleep.", "", "You are tired.", "Plans keep shifting under you.", "Yes",
                       "It is hard to plan when the ground moves.", "Money has become a weekly fight.", "You two argue.",
                       "Every week the same fight.", "You miss her.", "The silence from your sister hurts.", "She went quiet.",
                       "You feel you let yourself down.", "Failing again stings.", "Exams are hard for you.",
                       "Drinking has crept up on you.", "You notice you drink more.", "More than before."]
        let responses = answers.map { tokenizer.encode($0) }
        let prompts = clients.map { prompt.tokens(client: $0, tokenizer: tokenizer) }
        var random = SeededRandom(seed: 4)
        var adapter = LoRAAdapter(config: LoRAConfig(rank: 8, alpha: 32, dropout: 0, projections: Projection.allCases, blocks: Array(26..<30)),
                                  model: model.config)
        adapter.parameters = adapter.parameters.map { _ in 0.04 * random.nextUnitFloat() - 0.02 }   // B ≠ 0: the adapter acts
        let entering = responses.indices.map { i -> Matrix in
            let fed = prompts[i / 3] + responses[i].dropLast()
            var caches = [model.makeCache(capacity: fed.count)]
            return model.forward([fed], caches: &caches, adapters: [adapter], keepingInputOf: 26, stop: { false })!.entering!
        }
        let trace = RolloutTrace(prompts: prompts, samplesPerPrompt: 3, responses: responses, entering: entering, block: 26)
        let fromTrace = fluency.perplexities(trace)
        let fromText = fluency.perplexities(prompts: clients.flatMap { Array(repeating: $0, count: 3) }, responses: answers)
        #expect(responses[1].isEmpty && responses[4].count == 1)
        #expect(fromTrace[1] == .infinity && fromText[1] == .infinity)
        for i in responses.indices where !responses[i].isEmpty {
            #expect(abs(fromTrace[i] - fromText[i]) <= 1e-4 * fromText[i], "answer \(i): \(fromTrace[i]) vs \(fromText[i])")
        }
        #expect(try fluency.score(trace) == fromTrace.map(FluencyObjective.score(perplexity:)))
    }

    @Test func perplexityMapsToTheClippedScore() {
        #expect(FluencyObjective.score(perplexity: 10) == 0.8)
        #expect(FluencyObjective.score(perplexity: 80) == 1e-4)
        #expect(FluencyObjective.score(perplexity: 1) == 0.98)
        #expect(FluencyObjective.score(perplexity: .infinity) == 1e-4)
    }

    @Test func shippedHeadsRecordTheirHeldOutFigures() throws {
        let scorers = DataDirectory.locate().appendingPathComponent("scorers")
        let reflection = try HeadFile.read(HeadFile.url(objective: "reflection", in: scorers))
        let empathy = try HeadFile.read(HeadFile.url(objective: "empathy", in: scorers))
        #expect(reflection.metrics["form_head_auroc"]! >= 0.85)
        #expect(reflection.metrics["match_head_content_auroc_reflections"]! >= 0.80)
        #expect(reflection.metrics["complex_vs_simple_auroc"] != nil)
        #expect(empathy.metrics["spearman_combined_vs_level_sum"]! >= 0.45)
        for file in [reflection, empathy] { #expect(file.encoder.model == ScorerEncoder.model) }
    }

    @Test func reflectionPrefersTheRightClientAndAReflection() throws {
        let objectives = try Self.registry.objectives(named: ["reflection", "empathy"])
        let clients = ["My sister stopped calling me after the wedding and I don't know what I did wrong.",
                       "I've been drinking every night since I lost my job, just to fall asleep."]
        let reflections = ["You're hurt and confused that your sister has gone quiet since the wedding.",
                           "Since losing your job, drinking has become the way you get yourself to sleep."]
        let right = try objectives[0].score(prompts: clients, responses: reflections)
        let swapped = try objectives[0].score(prompts: clients.reversed(), responses: reflections)
        #expect(zip(right, swapped).allSatisfy { $0 > $1 }, "right \(right), swapped \(swapped)")
        let question = try objectives[0].score(prompts: [clients[0]], responses: ["When is the wedding?"])
        #expect(question[0] < right[0])
        let empathy = try objectives[1].score(prompts: clients, responses: reflections)
        #expect(empathy.allSatisfy { (0...1).contains($0) })
    }
}
