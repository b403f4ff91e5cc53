// The SIMD group kernel, included once per instruction-set variant by quantized.c. Before including, define
//   CK_VARIANT(name)   the variant's function names (e.g. name##_avx512)
//   CK_TARGET          its target attribute
//   CK_LANES           float lanes per vector (8 or 16): a group of 16 rows takes 16 / CK_LANES passes
//   CK_VI, CK_VF       the integer and float vector types, and the operations
//   CK_LOADI(p) CK_ZEROI() CK_SET1I8(c) CK_AND(a, b) CK_SRLI16(a, n) CK_BCAST32(p)
//   CK_DOT4_NIBBLES(acc, w, x)  acc + Σ of 4 adjacent u8·s8 products per i32 lane, u8 ≤ 15
//   CK_DOT4_BYTES(acc, w, x)    the same for any u8
//   CK_CVTF(v) CK_ZEROF() CK_SET1F(f) CK_MULF(a, b) CK_FMADDF(a, b, c) CK_ADDF(a, b) CK_LOADH(p) CK_STOREF(p, v)
// Every variant and the portable kernel do the same integer sums and the same float operations in the
// same order, so all paths give bitwise-identical results.

/// The group product for n activation rows (n constant after inlining, so the accumulators stay in registers).
CK_TARGET static inline __attribute__((always_inline)) void
CK_VARIANT(group_tile_n)(const int format, const uint8_t *group, const int blocks, const ck_q8_block *x,
                         const size_t x_stride, const int n, float *out) {
    const int vectors = ck_group_vectors(format);
    const uint8_t *scales = group + (size_t)blocks * vectors * 64, *offsets = scales + (size_t)blocks * 32;
    const float offset_factor = format == CK_Q4_0 ? -8.0f : -128.0f;
    for (int h = 0; h < CK_GROUP / CK_LANES; h++) {
        CK_VF acc[CK_TILE], acc_offset[CK_TILE];       // Σ d·dx·Σu·q and Σ o·sx, one lane per weight row
        for (int i = 0; i < n; i++) { acc[i] = CK_ZEROF(); acc_offset[i] = CK_ZEROF(); }
        for (int b = 0; b < blocks; b++) {
            const uint8_t *qs = group + (size_t)b * vectors * 64 + 4 * CK_LANES * h;
            // Hardware prefetching alone leaves decoding latency-bound: fetch 4 KB ahead (later blocks, the
            // scales, the next group of the chunk); single-thread decode ~25% faster.
            for (int j = 0; j < vectors; j++) _mm_prefetch((const char *)(qs + 4096 + 64 * j), _MM_HINT_T0);
            const CK_VF d = CK_LOADH(scales + (size_t)b * 32 + 2 * CK_LANES * h);
            const CK_VF o = format == CK_Q4_1 ? CK_LOADH(offsets + (size_t)b * 32 + 2 * CK_LANES * h)
                                              : CK_MULF(d, CK_SET1F(offset_factor));
            CK_VI w[8];                                  // w[j]: each row's weights 4j..4j+3 as u8
            if (format == CK_Q8_0) {
                for (int j = 0; j < 8; j++) w[j] = CK_LOADI(qs + 64 * j);
            } else {
                const CK_VI low = CK_SET1I8(0x0F);
                for (int j = 0; j < 4; j++) {
                    const CK_VI packed = CK_LOADI(qs + 64 * j);
                    w[j] = CK_AND(packed, low);
                    w[j + 4] = CK_AND(CK_SRLI16(packed, 4), low);
                }
            }
            for (int i = 0; i < n; i++) {
                const ck_q8_block *xb = x + i * x_stride + b;
                CK_VI even = CK_ZEROI(), odd = CK_ZEROI();    // two chains of multiply-adds, summed after
                for (int j = 0; j < 8; j += 2) {
                    if (format == CK_Q8_0) {
                        even = CK_DOT4_BYTES(even, w[j], CK_BCAST32(xb->q + 4 * j));
                        odd = CK_DOT4_BYTES(odd, w[j + 1], CK_BCAST32(xb->q + 4 * j + 4));
                    } else {
                        even = CK_DOT4_NIBBLES(even, w[j], CK_BCAST32(xb->q + 4 * j));
                        odd = CK_DOT4_NIBBLES(odd, w[j + 1], CK_BCAST32(xb->q + 4 * j + 4));
                    }
                }
                acc[i] = CK_FMADDF(CK_MULF(CK_CVTF(CK_ADDI(even, odd)), d), CK_SET1F(xb->d), acc[i]);
                acc_offset[i] = CK_FMADDF(o, CK_SET1F(xb->s), acc_offset[i]);
            }
        }
        for (int i = 0; i < n; i++) CK_STOREF(out + i * CK_GROUP + CK_LANES * h, CK_ADDF(acc[i], acc_offset[i]));
    }
}

CK_TARGET static void CK_VARIANT(group_tile)(int format, const uint8_t *group, int blocks, const ck_q8_block *x,
                                              size_t x_stride, int n, float *out) {
#define CK_SHAPE(f, nn) \
    case nn: CK_VARIANT(group_tile_n)(f, group, blocks, x, x_stride, nn, out); return;
#define CK_SHAPES(f) \
    switch (n) { CK_SHAPE(f, 1) CK_SHAPE(f, 2) CK_SHAPE(f, 3) CK_SHAPE(f, 4) CK_SHAPE(f, 5) CK_SHAPE(f, 6) default: return; }
    switch (format) {
    case CK_Q4_0: CK_SHAPES(CK_Q4_0)
    case CK_Q4_1: CK_SHAPES(CK_Q4_1)
    default: CK_SHAPES(CK_Q8_0)
    }
#undef CK_SHAPES
#undef CK_SHAPE
}
