import CKernels
import Foundation
@testable import LanguageModel
import Tensors
import Testing

/// Each fast kernel of `CKernels` against its naive reference on random data.
@Suite(.serialized) struct QuantizedKernelTests {
    /// Random weight blocks `[rows, cols]` of `format` with scales near 0.01 (and offsets for Q4_1).
    static func randomBlocks(_ format: BlockFormat, rows: Int, cols: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var bytes = (0..<format.byteCount(elements: rows * cols)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for b in 0..<(rows * cols / 32) {
            let base = b * format.bytesPerBlock
            func half(_ value: Float, at offset: Int) {
                let bits = Float16(value).bitPattern
                bytes[base + offset] = UInt8(bits & 0xFF)
                bytes[base + offset + 1] = UInt8(bits >> 8)
            }
            half(0.02 * random.nextUnitFloat() + 0.001, at: 0)
            if format == .q4_1 { half(0.1 * (random.nextUnitFloat() - 0.5), at: 2) }
            if format == .q8_0 {
                for j in 0..<32 where bytes[base + 2 + j] == 0x80 { bytes[base + 2 + j] = 0x81 }   // ggml keeps q in ±127
            }
        }
        return bytes
    }

    static func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { i in (random.nextUnitFloat() - 0.5) * (i % 97 == 0 ? 40 : 2) }   // a few outliers
    }

    /// Runs `body` on each SIMD path this CPU has, restoring the detected one after.
    static func onEachPath(_ body: (ck_path) -> Void) {
        defer { ck_force_path(ck_detected_path()) }
        for raw in CK_PATH_PORTABLE.rawValue...CK_PATH_AVX512_VNNI.rawValue where ck_path_supported(ck_path(rawValue: raw)) != 0 {
            let path = ck_path(rawValue: raw)
            ck_force_path(path)
            body(path)
        }
    }

    /// Σ w·x in Double from dequantised weights and activations: the naive reference of a block product.
    static func naiveDot(_ format: BlockFormat, _ row: UnsafeRawPointer, _ x: UnsafePointer<ck_q8_block>, cols: Int) -> Double {
        var w = [Float](repeating: 0, count: cols)
        format.dequantize(row, count: cols, into: &w)
        var sum = 0.0
        for b in 0..<(cols / 32) {
            withUnsafeBytes(of: x[b].q) { q in
                for j in 0..<32 { sum += Double(w[b * 32 + j]) * Double(x[b].d) * Double(Int8(bitPattern: q[j])) }
            }
        }
        return sum
    }

    /// Largest |a − b| / max(1, |b|).
    func maxError(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }

    // MARK: - Quantisation and products

    @Test func quantisedRowsRoundTripAndAgreeAcrossPaths() {
        let cols = 576, rows = 3
        let x = Self.randomFloats(rows * cols, seed: 1)
        var results: [[ck_q8_block]] = []
        Self.onEachPath { _ in
            var blocks = [ck_q8_block](repeating: ck_q8_block(), count: rows * cols / 32)
            ck_quantize_rows(x, Int32(rows), Int32(cols), &blocks)
            for (b, block) in blocks.enumerated() {
                var sum = 0
                withUnsafeBytes(of: block.q) { q in
                    for j in 0..<32 {
                        let value = Int8(bitPattern: q[j])
                        sum += Int(value)
                        #expect(abs(block.d * Float(value) - x[b * 32 + j]) <= block.d / 2 * 1.0001)
                    }
                }
                #expect(block.s == block.d * Float(sum))
            }
            results.append(blocks)
        }
        let bytes = results.map { r in r.withUnsafeBytes { Array($0) } }
        #expect(bytes.allSatisfy { $0 == bytes[0] }, "the SIMD and portable quantisers must give identical blocks")
    }

    /// Weights packed for the products (`ck_pack_rows`).
    static func packed(_ format: BlockFormat, _ weights: [UInt8], rows: Int, cols: Int) -> [UInt8] {
        var packed = [UInt8](repeating: 0, count: ck_packed_bytes(Int32(format.rawValue), Int32(rows), Int32(cols)))
        ck_pack_rows(Int32(format.rawValue), weights, Int32(rows), Int32(cols), &packed)
        return packed
    }

    /// 37 weight rows (two full groups of 16 and a ragged one) against m activation rows: every tile shape
    /// (1…6, and tiles after a full one), on every path, bitwise equal across paths.
    @Test(arguments: [BlockFormat.q4_0, .q4_1, .q8_0], [1, 2, 3, 5, 6, 13])
    func packedProductsMatchTheNaiveReference(format: BlockFormat, m: Int) {
        let rows = 37, cols = 576
        let weights = Self.randomBlocks(format, rows: rows, cols: cols, seed: UInt64(format.rawValue))
        let packed = Self.packed(format, weights, rows: rows, cols: cols)
        var x = [ck_q8_block](repeating: ck_q8_block(), count: m * cols / 32)
        ck_quantize_rows(Self.randomFloats(m * cols, seed: 9), Int32(m), Int32(cols), &x)
        let rowBytes = format.byteCount(elements: cols)
        var results: [[Float]] = []
        Self.onEachPath { path in
            let pool = ComputePool(threads: 2)
            var y = [Float](repeating: .nan, count: m * (rows + 3))       // ldy > rows: the columns past `rows` stay untouched
            packed.withUnsafeBytes { w in
                y.withUnsafeMutableBufferPointer { yp in
                    var job = ck_matmul(format: Int32(format.rawValue), weights: w.baseAddress, rows: Int32(rows), y: yp.baseAddress,
                                        ldy: Int32(rows + 3), lora_b: nil, lora_xa: nil, lora_scale: nil, rank: 0)
                    withExtendedLifetime(pool) { ck_matmul_run(pool.raw, x, Int32(m), 1, Int32(cols), &job, 1) }
                }
            }
            weights.withUnsafeBytes { w in
                x.withUnsafeBufferPointer { xp in
                    for i in 0..<m {
                        for r in 0..<rows {
                            let expected = Self.naiveDot(format, w.baseAddress! + r * rowBytes, xp.baseAddress! + i * cols / 32, cols: cols)
                            #expect(abs(Double(y[i * (rows + 3) + r]) - expected) <= 1e-4 * max(1, abs(expected)),
                                    "\(format.name) \(path) [\(i), \(r)]")
                        }
                        let untouched = y[(i * (rows + 3) + rows)..<((i + 1) * (rows + 3))].allSatisfy { $0.isNaN }
                        #expect(untouched)
                    }
                }
            }
            results.append(y.map { $0.isNaN ? 0 : $0 })
        }
        #expect(results.allSatisfy { $0 == results[0] }, "every path must give the portable kernel's results bitwise")
    }

    @Test func refinedRowsSumToTheInputAndTheirProductIsFinerGrained() {
        let cols = 576
        let x = Self.randomFloats(cols, seed: 4)
        var blocks = [ck_q8_block](repeating: ck_q8_block(), count: 2 * cols / 32)
        ck_quantize_rows_refined(x, 1, Int32(cols), &blocks)
        var worst: Float = 0
        for b in 0..<(cols / 32) {
            let coarse = blocks[b], fine = blocks[cols / 32 + b]
            withUnsafeBytes(of: coarse.q) { cq in
                withUnsafeBytes(of: fine.q) { fq in
                    for j in 0..<32 {
                        let value = coarse.d * Float(Int8(bitPattern: cq[j])) + fine.d * Float(Int8(bitPattern: fq[j]))
                        worst = max(worst, abs(value - x[b * 32 + j]) / max(coarse.d, 1e-30))
                    }
                }
            }
        }
        #expect(worst <= 0.5 / 127 * 1.01, "two passes leave at most d/254 per value, got \(worst)·d")
    }

    // MARK: - Row kernels

    @Test func rowKernelsMatchTheirSwiftReferences() {
        let n = 576, rows = 3
        let x = Self.randomFloats(rows * n, seed: 5), weight = Self.randomFloats(n, seed: 6)
        var expected = x
        VectorMath.rmsNorm(&expected, rows: rows, weight: weight, eps: 1e-5)
        var y = [Float](repeating: 0, count: rows * n)
        ck_rms_norm(x, Int32(rows), Int32(n), weight, 1e-5, &y)
        #expect(maxError(y, expected) <= 1e-5)

        var g = Self.randomFloats(n, seed: 7), gExpected = g
        let u = Self.randomFloats(n, seed: 8)
        VectorMath.swiglu(&gExpected, u)
        ck_swiglu(&g, u, Int32(n))
        #expect(maxError(g, gExpected) <= 1e-5)

        let rope = RotaryEmbedding(headWidth: 64, base: 100_000)
        var q = Self.randomFloats(rows * n, seed: 9), qExpected = q
        rope.apply(&qExpected, rows: rows, heads: 9, firstPosition: 5)
        let positions = (0..<rows).flatMap { t in rope.frequencies.map { Float(5 + t) * $0 } }
        ck_rope(&q, Int32(rows), 9, 64, positions.map { cosf($0) }, positions.map { sinf($0) })
        #expect(maxError(q, qExpected) <= 1e-5)
    }

    @Test func attentionMatchesTheF32Model() {
        let config = LlamaConfig(blockCount: 1, embeddingWidth: 128, feedForwardWidth: 64, headCount: 4, kvHeadCount: 2,
                                 rmsEpsilon: 1e-5, ropeBase: 10_000, vocabularySize: 8, contextLength: 64)
        let zero = Matrix(rows: 1, cols: 1)
        let block = BlockWeights(attentionNorm: [], query: zero, key: zero, value: zero, output: zero, feedForwardNorm: [],
                                 gate: zero, up: zero, down: zero)
        let model = LlamaModel(config: config, weights: LlamaWeights(tokenEmbedding: zero, blocks: [block], outputNorm: []))
        // Three sequences in one call: a 20-row prefill (two row chunks) after 7 cached positions, a 1-row step, and
        // the first again with its first 4 positions read from a separate (shared) prefix.
        var expected: [Float] = [], segments: [ck_attention_segment] = [], buffers: [UnsafeMutablePointer<Float>] = []
        defer { buffers.forEach { $0.deallocate() } }
        func buffer(_ values: some Collection<Float>) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: values.count)
            pointer.initialize(from: Array(values), count: values.count)
            buffers.append(pointer)
            return pointer
        }
        for (n, (first, t, prefix)) in [(7, 20, 0), (30, 1, 0), (7, 20, 4)].enumerated() {
            let seed = UInt64(10 + 3 * (n % 2))
            let q = Matrix(rows: t, cols: 128, values: Self.randomFloats(t * 128, seed: seed))
            let keys = Self.randomFloats((first + t) * 64, seed: seed + 1)                       // [S, Hkv·D], D = 32
            let values = Self.randomFloats((first + t) * 64, seed: seed + 2)
            expected += model.attend(queries: q, keys: keys, values: values, firstPosition: first).values
            segments.append(ck_attention_segment(
                q: buffer(q.values), prefix_keys: prefix > 0 ? buffer(keys[..<(prefix * 64)]) : nil,
                prefix_values: prefix > 0 ? buffer(values[..<(prefix * 64)]) : nil, prefix: Int32(prefix),
                keys: buffer(keys[(prefix * 64)...]), values: buffer(values[(prefix * 64)...]),
                out: buffer([Float](repeating: 0, count: t * 128)), t: Int32(t), first: Int32(first)))
        }
        let pool = ComputePool(threads: 2)
        withExtendedLifetime(pool) { ck_attention(pool.raw, segments, Int32(segments.count), 4, 2, 32) }
        let out = segments.flatMap { Array(UnsafeBufferPointer(start: $0.out, count: Int($0.t) * 128)) }
        #expect(maxError(out, expected) <= 1e-5)
    }

    @Test func loraKernelsMatchTheAdapter() {
        let config = LlamaConfig(blockCount: 1, embeddingWidth: 64, feedForwardWidth: 96, headCount: 2, kvHeadCount: 1,
                                 rmsEpsilon: 1e-5, ropeBase: 10_000, vocabularySize: 8, contextLength: 8)
        var random = SeededRandom(seed: 13)
        var adapter = LoRAAdapter(config: LoRAConfig(rank: 4, alpha: 8, dropout: 0, projections: [.up], blocks: [0]),
                                  model: config, random: &random)
        let slot = adapter.slots[0]
        for i in 0..<(4 * slot.outWidth) { adapter.parameters[slot.bOffset + i] = random.nextUnitFloat() - 0.5 }
        let x = Matrix(rows: 1, cols: 64, values: Self.randomFloats(64, seed: 14))
        var expected = Matrix(rows: 1, cols: 96)
        adapter.addDelta(slot, input: x, to: &expected)
        // Through a product job with a zero weight matrix: only the LoRA delta remains.
        let weights = Self.packed(.q8_0, [UInt8](repeating: 0, count: BlockFormat.q8_0.byteCount(elements: 96 * 64)), rows: 96, cols: 64)
        var blocks = [ck_q8_block](repeating: ck_q8_block(), count: 2)
        ck_quantize_rows(x.values, 1, 64, &blocks)
        let xa = UnsafeMutablePointer<Float>.allocate(capacity: 4), y = UnsafeMutablePointer<Float>.allocate(capacity: 96)
        let scale = UnsafeMutablePointer<Float>.allocate(capacity: 1), b = UnsafeMutablePointer<UnsafePointer<Float>?>.allocate(capacity: 1)
        defer { xa.deallocate(); y.deallocate(); scale.deallocate(); b.deallocate() }
        scale[0] = adapter.config.scale
        adapter.parameters.withUnsafeBufferPointer { p in
            ck_lora_down(x.values, 64, p.baseAddress! + slot.aOffset, 4, xa)
            b[0] = p.baseAddress! + slot.bOffset
            weights.withUnsafeBytes { w in
                var job = ck_matmul(format: Int32(BlockFormat.q8_0.rawValue), weights: w.baseAddress, rows: 96, y: y, ldy: 96,
                                    lora_b: UnsafePointer(b), lora_xa: xa, lora_scale: scale, rank: 4)
                let pool = ComputePool(threads: 1)
                withExtendedLifetime(pool) { ck_matmul_run(pool.raw, blocks, 1, 1, 64, &job, 1) }
            }
        }
        #expect(maxError(Array(UnsafeBufferPointer(start: y, count: 96)), expected.values) <= 1e-5)
    }
}
