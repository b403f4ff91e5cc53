// The AVX2 tile kernels, included once per instruction-set variant by quantized.c. Before including, define
//   CK_VARIANT(name)  the variant's function names (e.g. name##_avx2)
//   CK_TARGET         its target attribute
//   CK_DPBUSD(w, q)   Σ of 4 adjacent u8·s8 products per i32 lane (maddubs + madd, or one AVX-VNNI dpbusd)
// so both variants share this one source and give bitwise-identical results (no i16 saturation is
// possible: |w| ≤ 128, |q| ≤ 127, so a pair sums to at most 32512).

CK_TARGET static inline float CK_VARIANT(hsum)(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// The 32 nibbles of a Q4 block as bytes in weight order.
CK_TARGET static inline __m256i CK_VARIANT(nibbles)(const uint8_t *qs) {
    const __m128i raw = _mm_loadu_si128((const __m128i *)qs);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(raw, 4), raw);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/// r consecutive weight rows against n consecutive activation rows (r, n constants after inlining, so the
/// r·n accumulators stay in registers and the loads of a block are shared across the tile).
CK_TARGET static inline __attribute__((always_inline)) void
CK_VARIANT(tile)(int format, const uint8_t *w, size_t row_bytes, const int r, const ck_q8_block *x, size_t x_stride,
          const int n, int blocks, float *out) {
    const int bytes = ck_block_bytes(format);
    __m256 acc[CK_TILE_ROWS][CK_TILE];
    float offsets[CK_TILE_ROWS][CK_TILE];
    for (int k = 0; k < r; k++)
        for (int i = 0; i < n; i++) { acc[k][i] = _mm256_setzero_ps(); offsets[k][i] = 0; }
    for (int b = 0; b < blocks; b++) {
        __m256i q[CK_TILE];
        for (int i = 0; i < n; i++) q[i] = _mm256_loadu_si256((const __m256i *)x[i * x_stride + b].q);
        for (int k = 0; k < r; k++) {
            const uint8_t *block = w + k * row_bytes + (size_t)b * bytes;
            const float d = _cvtsh_ss(load_u16(block));
            __m256i wq;
            float offset = 0;
            if (format == CK_Q8_0) {
                wq = _mm256_loadu_si256((const __m256i *)(block + 2));
            } else {
                wq = CK_VARIANT(nibbles)(block + (format == CK_Q4_1 ? 4 : 2));
                offset = format == CK_Q4_1 ? _cvtsh_ss(load_u16(block + 2)) : -8 * d;
            }
            const __m256i wAbs = format == CK_Q8_0 ? _mm256_sign_epi8(wq, wq) : wq;
            for (int i = 0; i < n; i++) {
                const ck_q8_block *xb = x + i * x_stride + b;
                // Q8_0: move w's sign onto q, so the unsigned×signed product is |w|·(±q).
                const __m256i qi = format == CK_Q8_0 ? _mm256_sign_epi8(q[i], wq) : q[i];
                const __m256i products = CK_DPBUSD(wAbs, qi);
                acc[k][i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * xb->d), acc[k][i]);
                if (format != CK_Q8_0) offsets[k][i] += offset * xb->s;
            }
        }
    }
    for (int k = 0; k < r; k++)
        for (int i = 0; i < n; i++) out[k * n + i] = CK_VARIANT(hsum)(acc[k][i]) + offsets[k][i];
}

CK_TARGET static void CK_VARIANT(dot_tile)(int format, const uint8_t *w, size_t row_bytes, int r, const ck_q8_block *x,
                               size_t x_stride, int n, int blocks, float *out) {
#define CK_SHAPE(f, rr, nn) \
    if (r == rr && n == nn) { CK_VARIANT(tile)(f, w, row_bytes, rr, x, x_stride, nn, blocks, out); return; }
#define CK_SHAPES(f) \
    CK_SHAPE(f, 4, 1) CK_SHAPE(f, 4, 2) CK_SHAPE(f, 2, 3) CK_SHAPE(f, 2, 4) \
    CK_SHAPE(f, 1, 1) CK_SHAPE(f, 1, 2) CK_SHAPE(f, 1, 3) CK_SHAPE(f, 1, 4)
    switch (format) {
    case CK_Q4_0: CK_SHAPES(CK_Q4_0) break;
    case CK_Q4_1: CK_SHAPES(CK_Q4_1) break;
    default: CK_SHAPES(CK_Q8_0) break;
    }
#undef CK_SHAPES
#undef CK_SHAPE
    for (int k = 0; k < r; k++)         // shapes without an instance: one row at a time
        CK_VARIANT(dot_tile)(format, w + k * row_bytes, row_bytes, 1, x, x_stride, n, blocks, out + k * n);
}
