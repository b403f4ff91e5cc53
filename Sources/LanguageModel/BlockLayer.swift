import Tensors

/// What one block's backward needs, kept by its forward. Shapes: R stacked rows, C width, F feed-forward width,
/// Hkv·D key/value width.
final class BlockTape {
    /// x0, the block's input `[R, C]`.
    let input: TapeBuffer
    /// h1 = RMSNorm(x0) `[R, C]` and its 1/rms `[R]`.
    let attentionNormed: TapeBuffer, attentionRstd: TapeBuffer
    /// Queries `[R, C]` and keys `[R, Hkv·D]` after RoPE; values `[R, Hkv·D]`.
    let query: TapeBuffer, key: TapeBuffer, value: TapeBuffer
    /// Attention output before the output projection `[R, C]`.
    let mixed: TapeBuffer
    /// x1 = x0 + attention `[R, C]`.
    let middle: TapeBuffer
    /// h2 = RMSNorm(x1) `[R, C]` and its 1/rms `[R]`.
    let feedForwardNormed: TapeBuffer, feedForwardRstd: TapeBuffer
    /// Gate and up projections `[R, F]` and silu(gate) ⊙ up `[R, F]`.
    let gate: TapeBuffer, up: TapeBuffer, activated: TapeBuffer
    /// x2 = x1 + feed-forward, the block's output `[R, C]`.
    let output: TapeBuffer
    /// Per adapted projection: u = drop(x)·Aᵀ `[R, r]`.
    var loraInner: [Projection: TapeBuffer] = [:]

    init(input: TapeBuffer, config: LlamaConfig) {
        let rows = input.count / config.embeddingWidth
        let (c, kv, f) = (rows * config.embeddingWidth, rows * config.kvWidth, rows * config.feedForwardWidth)
        self.input = input
        (attentionNormed, attentionRstd) = (TapeBuffer(count: c), TapeBuffer(count: rows))
        (query, key, value, mixed, middle) = (TapeBuffer(count: c), TapeBuffer(count: kv), TapeBuffer(count: kv),
                                              TapeBuffer(count: c), TapeBuffer(count: c))
        (feedForwardNormed, feedForwardRstd) = (TapeBuffer(count: c), TapeBuffer(count: rows))
        (gate, up, activated, output) = (TapeBuffer(count: f), TapeBuffer(count: f), TapeBuffer(count: f), TapeBuffer(count: c))
    }
}

extension TrainingPass {
    /// One block on stacked rows: x2 = x1 + FFN(RMSNorm(x1)), x1 = x0 + Attn(RMSNorm(x0)); LoRA where `adapted`.
    func blockForward(_ x0: TapeBuffer, block index: Int, adapted: Bool) -> BlockTape {
        let config = model.config, block = model.weights.blocks[index]
        let (rows, c) = (layout.rows, config.embeddingWidth)
        let tape = BlockTape(input: x0, config: config)
        func linear(_ x: TapeBuffer, _ w: Matrix, _ projection: Projection, _ y: UnsafeMutablePointer<Float>) {
            let lora = adapted ? factors(block: index, projection: projection) : nil
            tape.loraInner[projection] = AdaptedLinear.forward(x.pointer, rows: rows, weight: w, lora: lora, out: y)
        }

        block.attentionNorm.withUnsafeBufferPointer { w in
            RMSNormLayer.forward(x0.pointer, weight: w.baseAddress!, rows: rows, width: c, eps: config.rmsEpsilon,
                                 out: tape.attentionNormed.pointer, rstd: tape.attentionRstd.pointer)
        }
        linear(tape.attentionNormed, block.query, .query, tape.query.pointer)
        linear(tape.attentionNormed, block.key, .key, tape.key.pointer)
        linear(tape.attentionNormed, block.value, .value, tape.value.pointer)
        rotate(tape.query, heads: config.headCount, inverse: false)
        rotate(tape.key, heads: config.kvHeadCount, inverse: false)
        attention.forward(q: tape.query.pointer, k: tape.key.pointer, v: tape.value.pointer, out: tape.mixed.pointer)
        linear(tape.mixed, block.output, .output, tape.middle.pointer)
        for i in 0..<(rows * c) { tape.middle.pointer[i] += x0.pointer[i] }

        block.feedForwardNorm.withUnsafeBufferPointer { w in
            RMSNormLayer.forward(tape.middle.pointer, weight: w.baseAddress!, rows: rows, width: c, eps: config.rmsEpsilon,
                                 out: tape.feedForwardNormed.pointer, rstd: tape.feedForwardRstd.pointer)
        }
        linear(tape.feedForwardNormed, block.gate, .gate, tape.gate.pointer)
        linear(tape.feedForwardNormed, block.up, .up, tape.up.pointer)
        SwiGLULayer.forward(gate: tape.gate.pointer, up: tape.up.pointer, count: tape.gate.count, out: tape.activated.pointer)
        linear(tape.activated, block.down, .down, tape.output.pointer)
        for i in 0..<(rows * c) { tape.output.pointer[i] += tape.middle.pointer[i] }
        return tape
    }

    /// From d(x2) `[R, C]`: accumulates the block's LoRA gradients and returns d(x0) when `propagate` (the input's
    /// gradient; the lowest adapted block skips it unless asked).
    func blockBackward(_ tape: BlockTape, block index: Int, dOutput: TapeBuffer, propagate: Bool) -> TapeBuffer? {
        let config = model.config, block = model.weights.blocks[index]
        let (rows, c, f) = (layout.rows, config.embeddingWidth, config.feedForwardWidth)
        func linear(_ dy: TapeBuffer, _ x: TapeBuffer, _ w: Matrix, _ projection: Projection, _ dx: TapeBuffer?) {
            AdaptedLinear.backward(dy.pointer, input: x.pointer, u: tape.loraInner[projection], rows: rows, weight: w,
                                   lora: factors(block: index, projection: projection), dx: dx?.pointer)
        }

        // Feed-forward: x2 = x1 + down(swiglu(gate(h2), up(h2))), h2 = RMSNorm(x1)
        let dMiddle = TapeBuffer(count: rows * c)
        dMiddle.pointer.update(from: dOutput.pointer, count: rows * c)
        let dActivated = TapeBuffer(count: rows * f)
        linear(dOutput, tape.activated, block.down, .down, dActivated)
        let dGate = TapeBuffer(count: rows * f), dUp = TapeBuffer(count: rows * f)
        SwiGLULayer.backward(dActivated.pointer, gate: tape.gate.pointer, up: tape.up.pointer, count: rows * f,
                             dGate: dGate.pointer, dUp: dUp.pointer)
        let dNormed = TapeBuffer(count: rows * c)
        linear(dGate, tape.feedForwardNormed, block.gate, .gate, dNormed)
        linear(dUp, tape.feedForwardNormed, block.up, .up, dNormed)
        block.feedForwardNorm.withUnsafeBufferPointer { w in
            RMSNormLayer.backward(dNormed.pointer, x: tape.middle.pointer, rstd: tape.feedForwardRstd.pointer,
                                  weight: w.baseAddress!, rows: rows, width: c, dx: dMiddle.pointer)
        }

        // Attention: x1 = x0 + o(attend(rope(q(h1)), rope(k(h1)), v(h1))), h1 = RMSNorm(x0)
        let dMixed = TapeBuffer(count: rows * c)
        linear(dMiddle, tape.mixed, block.output, .output, dMixed)
        let dQuery = TapeBuffer(count: rows * c)
        let dKey = TapeBuffer(count: rows * config.kvWidth), dValue = TapeBuffer(count: rows * config.kvWidth)
        attention.backward(dMixed.pointer, q: tape.query.pointer, k: tape.key.pointer, v: tape.value.pointer,
                           dq: dQuery.pointer, dk: dKey.pointer, dv: dValue.pointer)
        rotate(dQuery, heads: config.headCount, inverse: true)
        rotate(dKey, heads: config.kvHeadCount, inverse: true)
        let dNormedInput = propagate ? TapeBuffer(count: rows * c) : nil
        linear(dQuery, tape.attentionNormed, block.query, .query, dNormedInput)
        linear(dKey, tape.attentionNormed, block.key, .key, dNormedInput)
        linear(dValue, tape.attentionNormed, block.value, .value, dNormedInput)
        guard let dNormedInput else { return nil }
        block.attentionNorm.withUnsafeBufferPointer { w in
            RMSNormLayer.backward(dNormedInput.pointer, x: tape.input.pointer, rstd: tape.attentionRstd.pointer,
                                  weight: w.baseAddress!, rows: rows, width: c, dx: dMiddle.pointer)
        }
        return dMiddle
    }

    /// RoPE (or its transpose) on stacked rows `[R, heads·D]`, each segment at its sequence positions.
    private func rotate(_ x: TapeBuffer, heads: Int, inverse: Bool) {
        let width = heads * model.config.headWidth
        for segment in layout.segments {
            model.rope.rotate(x.pointer + segment.offset * width, rows: segment.length, heads: heads,
                              firstPosition: segment.firstPosition, inverse: inverse)
        }
    }
}
