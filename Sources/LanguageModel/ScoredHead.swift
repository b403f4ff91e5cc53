import Foundation
import Tensors

/// One scored position: the row that predicts a token, the token, and its weights in the loss.
struct ScoredRow {
    /// Row of the stacked final hidden states that predicts `target` (the position before it).
    let row: Int
    let target: Int
    /// c: weight of −log π(target).
    let coefficient: Float
    /// β: weight of KL(π ‖ π_base) at this row (0 without KL).
    let klWeight: Float
}

/// What the head reports for one scored row.
struct ScoredRowResult {
    var logProbability: Float = 0
    var entropy: Float = 0
    var kl: Float = 0
}

/// The tied LM head, log-softmax and the weighted loss over scored rows, forward and backward fused.
///
/// Shapes: h `[R, C]` final-norm hidden states, E `[V, C]` the head, logits `[M, V]` for a chunk of M scored rows.
/// Logits never exist for all rows at once: each chunk's d(logits) becomes d(h) = d(logits)·E before the next.
/// For a row with weights c and β, p = softmax(z), q = softmax(z_base), ℓ = log p − log q:
///   loss = c · (−log p_target) + β · Σ p ℓ,   d loss / dz = c · (p − onehot(target)) + β · p ⊙ (ℓ − Σ p ℓ).
struct ScoredHead {
    let head: Matrix
    /// Rows per chunk (M): 256 keeps d(h) = d(logits)·E (k = V) near full sgemm speed (at 64 rows OpenBLAS ran it
    /// ~2-3× slower here) while a chunk's logits stay at 50 MB.
    let chunk = 256

    /// The loss over `rows` and per-row results; adds d(loss)/d(h) into `dHidden` when given.
    /// `baseHidden` (the frozen base's final-norm hidden states) is needed when any row has a KL weight.
    func run(hidden: UnsafePointer<Float>, baseHidden: UnsafePointer<Float>?, rows: [ScoredRow],
             dHidden: UnsafeMutablePointer<Float>?) -> (loss: Double, results: [ScoredRowResult]) {
        let (v, c) = (head.rows, head.cols)
        let logits = TapeBuffer(count: chunk * v), baseLogits = TapeBuffer(count: baseHidden == nil ? 0 : chunk * v)
        let gathered = TapeBuffer(count: chunk * c), dGathered = TapeBuffer(count: chunk * c)
        var loss: Double = 0
        var results = [ScoredRowResult](repeating: ScoredRowResult(), count: rows.count)
        for start in stride(from: 0, to: rows.count, by: chunk) {
            let part = Array(rows[start..<min(start + chunk, rows.count)])
            let m = part.count
            project(hidden, part, gathered: gathered, into: logits)
            if let baseHidden { project(baseHidden, part, gathered: gathered, into: baseLogits) }
            for (i, row) in part.enumerated() {
                let z = logits.pointer + i * v
                let zBase = baseHidden == nil || row.klWeight == 0 ? nil : baseLogits.pointer + i * v
                results[start + i] = rowLoss(z, base: zBase, row: row, count: v, gradient: dHidden != nil)
                loss += Double(row.coefficient) * Double(-results[start + i].logProbability) + Double(row.klWeight) * Double(results[start + i].kl)
            }
            guard let dHidden else { continue }
            // d h_rows [M, C] = d logits [M, V] · E [V, C]
            head.withPointer { e in
                BLAS.gemm(transA: false, transB: false, m: m, n: c, k: v, a: logits.pointer, lda: v, b: e, ldb: c,
                          c: dGathered.pointer, ldc: c)
            }
            for (i, row) in part.enumerated() {
                let source = dGathered.pointer + i * c, target = dHidden + row.row * c
                for j in 0..<c { target[j] += source[j] }
            }
        }
        return (loss, results)
    }

    /// logits `[M, V]` = h[rows] `[M, C]` · Eᵀ.
    private func project(_ hidden: UnsafePointer<Float>, _ rows: [ScoredRow], gathered: TapeBuffer, into logits: TapeBuffer) {
        let (v, c) = (head.rows, head.cols)
        for (i, row) in rows.enumerated() { (gathered.pointer + i * c).update(from: hidden + row.row * c, count: c) }
        head.withPointer { e in
            BLAS.gemm(transA: false, transB: true, m: rows.count, n: v, k: c, a: gathered.pointer, lda: c, b: e, ldb: c,
                      c: logits.pointer, ldc: v)
        }
    }

    /// One row's log-probability, entropy and KL; with `gradient`, overwrites z with d loss / dz.
    ///
    /// One exp per logit without KL: with e_j = exp(z_j − max), S = Σ e_j and log Z = max + log S,
    /// log p_target = z_target − log Z, entropy = log Z − Σ e_j·z_j / S, and d loss / dz_j = c·e_j / S − c·[j = target].
    private func rowLoss(_ z: UnsafeMutablePointer<Float>, base: UnsafeMutablePointer<Float>?, row: ScoredRow, count v: Int,
                         gradient: Bool) -> ScoredRowResult {
        let targetLogit = z[row.target]
        var top = -Float.infinity
        for j in 0..<v { top = max(top, z[j]) }
        var sum: Double = 0, weighted: Double = 0
        for j in 0..<v {
            let e = expf(z[j] - top)
            sum += Double(e)
            weighted += Double(e) * Double(z[j])
            if base == nil { z[j] = e }                            // the logits are not needed again without KL
        }
        let logZ = Double(top) + log(sum)
        var result = ScoredRowResult(logProbability: Float(Double(targetLogit) - logZ), entropy: Float(logZ - weighted / sum))
        let c = row.coefficient
        guard let base else {
            guard gradient else { return result }
            let scale = c / Float(sum)
            for j in 0..<v { z[j] *= scale }
            z[row.target] -= c
            return result
        }
        // With KL: ℓ_j = log p_j − log q_j, KL = Σ p_j ℓ_j, d loss / dz_j = c·(p_j − [j = target]) + β·p_j·(ℓ_j − KL).
        let logP = Float(logZ), logQ = VectorMath.logSumExp(base, count: v)
        var kl: Double = 0
        for j in 0..<v { kl += Double(expf(z[j] - logP) * ((z[j] - logP) - (base[j] - logQ))) }
        result.kl = Float(kl)
        guard gradient else { return result }
        let beta = row.klWeight, klValue = result.kl
        for j in 0..<v {
            let logPj = z[j] - logP, p = expf(logPj)
            z[j] = c * p + beta * p * (logPj - (base[j] - logQ) - klValue)
        }
        z[row.target] -= c
        return result
    }
}
