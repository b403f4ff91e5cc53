import CKernels

/// The LoRA adapters of the streams in one quantized forward pass, pinned for its duration.
///
/// Attaches each stream's delta to a product job: for every row of a stream whose adapter covers the
/// projection, xa = A·x is computed here `[r]` and the job adds scale · B·xa to that row's output.
struct LoRARows {
    /// Per stream: the adapter, its parameters' base address, and its slot index per (block, projection).
    struct Stream {
        let adapter: LoRAAdapter
        let parameters: UnsafePointer<Float>
        let slots: [Int?]                       // [L · projections]
    }

    let streams: [Stream?]
    let segments: [Range<Int>]
    let rank: Int

    /// Pins every adapter's parameters, then runs `body` with the rows view; `segments[i]` are stream i's rows.
    static func with<R>(_ adapters: [LoRAAdapter?], segments: [Range<Int>], blockCount: Int,
                        _ body: (LoRARows) -> R) -> R {
        let ranks = Set(adapters.compactMap { $0?.config.rank })
        precondition(ranks.count <= 1, "streams of one pass must share a LoRA rank, got \(ranks.sorted())")
        func pin(_ i: Int, _ pinned: [Stream?]) -> R {
            if i == adapters.count {
                return body(LoRARows(streams: pinned, segments: segments, rank: ranks.first ?? 0))
            }
            guard let adapter = adapters[i] else { return pin(i + 1, pinned + [nil]) }
            var slots = [Int?](repeating: nil, count: blockCount * Projection.allCases.count)
            for (index, slot) in adapter.slots.enumerated() {
                slots[slot.block * Projection.allCases.count + projectionIndex(slot.projection)] = index
            }
            return adapter.parameters.withUnsafeBufferPointer { p in
                pin(i + 1, pinned + [Stream(adapter: adapter, parameters: p.baseAddress!, slots: slots)])
            }
        }
        return pin(0, [])
    }

    private static func projectionIndex(_ projection: Projection) -> Int {
        Projection.allCases.firstIndex(of: projection)!
    }

    /// Adds the streams' deltas for `projection` of `block` to `job`, using scratch set `set` (0..<3);
    /// `input` `[N, width]` is the f32 input of the projection.
    func attach(_ job: inout ck_matmul, set: Int, block: Int, projection: Projection,
                input: UnsafePointer<Float>, width: Int, scratch: ForwardScratch) {
        let key = block * Projection.allCases.count + Self.projectionIndex(projection)
        let b = scratch.loraB[set], xa = scratch.loraXA[set], scale = scratch.loraScale[set]
        var any = false
        for (stream, rows) in zip(streams, segments) {
            guard let stream, let index = stream.slots[key] else {
                for row in rows { b[row] = nil }
                continue
            }
            let slot = stream.adapter.slots[index]
            any = true
            for row in rows {
                ck_lora_down(input + row * width, Int32(width), stream.parameters + slot.aOffset, Int32(rank), xa + row * rank)
                b[row] = stream.parameters + slot.bOffset
                scale[row] = stream.adapter.config.scale
            }
        }
        guard any else { return }
        job.lora_b = UnsafePointer(b)
        job.lora_xa = UnsafePointer(xa)
        job.lora_scale = UnsafePointer(scale)
        job.rank = Int32(rank)
    }
}
