import LanguageModel

/// The "model soup" adapter: W0 + Σ wᵢ·scaleᵢ·Bᵢ·Aᵢ as one LoRA of rank Σ rᵢ.
///
/// A is the stack of the Aᵢ `[Σr, in]`, B the side-by-side wᵢ·(scaleᵢ/scale)·Bᵢ `[out, Σr]`, so
/// scale·B·A = Σ wᵢ·scaleᵢ·Bᵢ·Aᵢ exactly. Adapters with weight 0 are left out; with one adapter at weight 1
/// the result is that adapter, bit for bit.
public enum MergedAdapter {
    /// Merges `adapters` with `weights` (validated by the caller) for `model`.
    public static func merge(_ adapters: [LoRAAdapter], weights: [Double], model: LlamaConfig) -> LoRAAdapter {
        let used = zip(adapters, weights).filter { $0.1 > 0 }
        let scale = used[0].0.config.scale
        let rank = used.map { $0.0.config.rank }.reduce(0, +)
        let config = LoRAConfig(
            rank: rank, alpha: scale * Float(rank), dropout: 0,
            projections: Projection.allCases.filter { p in used.contains { $0.0.config.projections.contains(p) } },
            blocks: Array(Set(used.flatMap { $0.0.config.blocks })))
        var merged = LoRAAdapter(config: config, model: model)
        for target in merged.slots {
            var rowOffset = 0                                               // where adapter i's rank rows start
            for (adapter, weight) in used {
                let r = adapter.config.rank
                defer { rowOffset += r }
                guard let source = adapter.slot(block: target.block, projection: target.projection) else { continue }
                let factor = Float(weight) * (adapter.config.scale / scale)
                for i in 0..<(r * target.inWidth) {                        // A rows rowOffset..<rowOffset+r
                    merged.parameters[target.aOffset + rowOffset * target.inWidth + i] = adapter.parameters[source.aOffset + i]
                }
                for o in 0..<target.outWidth {                              // B columns rowOffset..<rowOffset+r
                    for j in 0..<r {
                        let b = adapter.parameters[source.bOffset + o * r + j]
                        merged.parameters[target.bOffset + o * rank + rowOffset + j] = factor == 1 ? b : factor * b
                    }
                }
            }
        }
        return merged
    }
}
