import LanguageModel

/// Row order of the query and key projections in GGUF files versus Hugging Face checkpoints.
///
/// llama.cpp's converter permutes q_proj and k_proj rows so that RoPE rotates adjacent pairs (2i, 2i+1) of each head;
/// Hugging Face rotates pairs half a head apart (i, i + D/2), and `transformers` undoes the permutation when it loads a
/// GGUF. PEFT adapters are written against the Hugging Face order, so the rows of q_proj's and k_proj's lora_B `[out, r]`
/// are reordered on the way in and out; A (the input side) and every other projection are the same in both.
enum RotaryRowOrder {
    /// Whether a projection's output rows are RoPE-permuted.
    static func applies(to projection: Projection) -> Bool {
        projection == .query || projection == .key
    }

    /// The Hugging Face row of GGUF row h·D + 2i + s: h·D + s·D/2 + i.
    static func huggingFaceRow(ofGGUFRow row: Int, headWidth d: Int) -> Int {
        let (head, within) = row.quotientAndRemainder(dividingBy: d)
        let (i, s) = within.quotientAndRemainder(dividingBy: 2)
        return head * d + s * d / 2 + i
    }
}
