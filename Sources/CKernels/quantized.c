// Activation quantisation and quantized block dot products: an AVX2 path and a portable one.
//
// Weight blocks (ggml layout, 32 weights each; nibble j < 16 is the low half of qs[j], else the high
// half of qs[j − 16]):
//   Q4_0: d f16, qs[16]     w = d·(n − 8)
//   Q4_1: d f16, m f16, qs[16]  w = d·n + m
//   Q8_0: d f16, qs[32] i8  w = d·q
// Against an activation block (dx, sx = dx·Σq, q[32]) a block contributes
//   d·dx·Σ n_j q_j + o·sx  with o = m (Q4_1), −8·d (Q4_0), 0 (Q8_0; Σ w_j q_j instead).
#include "internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// MARK: - Paths

static int forced_path = -1;

ck_path ck_detected_path(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return __builtin_cpu_supports("avxvnni") ? CK_PATH_AVX_VNNI : CK_PATH_AVX2;
#endif
    return CK_PATH_PORTABLE;
}

ck_path ck_active_path(void) {
    static int detected = -1;
    if (forced_path >= 0) return (ck_path)forced_path;
    if (detected < 0) detected = ck_detected_path();
    return (ck_path)detected;
}

void ck_force_path(ck_path path) {
    forced_path = path > ck_detected_path() ? CK_PATH_PORTABLE : path;   // paths are ordered by what they need
}

int ck_block_bytes(int format) {
    switch (format) {
    case CK_Q4_0: return 18;
    case CK_Q4_1: return 20;
    default: return 34;
    }
}

/// IEEE half → float without F16C.
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {                                  // subnormal half: normalise
        int shift = 0;
        while (!(mantissa & 0x400)) { mantissa <<= 1; shift++; }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mantissa & 0x3FF) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static uint16_t load_u16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

// MARK: - Portable path

/// Quantises one 32-value block; nearbyintf rounds half to even as the AVX2 conversion does,
/// so both paths give identical blocks.
static void quantize_block_portable(const float *x, ck_q8_block *out) {
    float amax = 0;
    for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(x[j]));
    const float d = amax / 127.0f, id = d != 0 ? 1.0f / d : 0.0f;
    int sum = 0;
    for (int j = 0; j < 32; j++) {
        const int q = (int)nearbyintf(x[j] * id);
        out->q[j] = (int8_t)q;
        sum += q;
    }
    out->d = d;
    out->s = d * (float)sum;
}

static float dot_portable(int format, const uint8_t *row, const ck_q8_block *x, int blocks) {
    const int bytes = ck_block_bytes(format);
    float total = 0;
    for (int b = 0; b < blocks; b++) {
        const uint8_t *block = row + (size_t)b * bytes;
        const float d = half_to_float(load_u16(block));
        int isum = 0;
        float offset = 0;
        if (format == CK_Q8_0) {
            const int8_t *qs = (const int8_t *)(block + 2);
            for (int j = 0; j < 32; j++) isum += qs[j] * x[b].q[j];
        } else {
            const uint8_t *qs = block + (format == CK_Q4_1 ? 4 : 2);
            for (int j = 0; j < 16; j++) isum += (qs[j] & 0x0F) * x[b].q[j] + (qs[j] >> 4) * x[b].q[j + 16];
            offset = format == CK_Q4_1 ? half_to_float(load_u16(block + 2)) : -8 * d;
        }
        total += d * x[b].d * (float)isum + offset * x[b].s;
    }
    return total;
}

// MARK: - AVX2 paths
#if defined(__x86_64__)
#define AVX2 __attribute__((target("avx2,fma,f16c")))

AVX2 static void quantize_block_avx2(const float *x, ck_q8_block *out) {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    __m256 v[4], amax = _mm256_setzero_ps();
    for (int k = 0; k < 4; k++) {
        v[k] = _mm256_loadu_ps(x + 8 * k);
        amax = _mm256_max_ps(amax, _mm256_andnot_ps(signBit, v[k]));
    }
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    const float d = _mm_cvtss_f32(m) / 127.0f, id = d != 0 ? 1.0f / d : 0.0f;
    const __m256 scale = _mm256_set1_ps(id);
    __m256i q[4];
    for (int k = 0; k < 4; k++) q[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], scale));
    __m256i sum = _mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3]));
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    s = _mm_hadd_epi32(s, s);
    s = _mm_hadd_epi32(s, s);
    // packs interleave 128-bit lanes: (q0 q1 | q2 q3) → restore element order with a dword permute.
    __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
    packed = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)out->q, packed);
    out->d = d;
    out->s = d * (float)_mm_cvtsi128_si32(s);
}

#define CK_VARIANT(name) name##_avx2
#define CK_TARGET AVX2
#define CK_DPBUSD(w, q) _mm256_madd_epi16(_mm256_maddubs_epi16(w, q), _mm256_set1_epi16(1))
#include "tile.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_DPBUSD

#define CK_VARIANT(name) name##_vnni
#define CK_TARGET __attribute__((target("avx2,fma,f16c,avxvnni")))
#define CK_DPBUSD(w, q) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), w, q)
#include "tile.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_DPBUSD
#endif

// MARK: - Dispatch

void ck_quantize_rows(const float *x, int rows, int cols, ck_q8_block *out) {
    const size_t blocks = (size_t)rows * (size_t)(cols / 32);
#if defined(__x86_64__)
    if (ck_active_path() >= CK_PATH_AVX2) {
        for (size_t b = 0; b < blocks; b++) quantize_block_avx2(x + 32 * b, out + b);
        return;
    }
#endif
    for (size_t b = 0; b < blocks; b++) quantize_block_portable(x + 32 * b, out + b);
}

void ck_quantize_rows_refined(const float *x, int rows, int cols, ck_q8_block *out) {
    const int blocks = cols / 32;
    float residual[32];
    for (int r = 0; r < rows; r++) {
        ck_q8_block *coarse = out + (size_t)(2 * r) * blocks, *fine = coarse + blocks;
        ck_quantize_rows(x + (size_t)r * cols, 1, cols, coarse);
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 32; j++) residual[j] = x[(size_t)r * cols + 32 * b + j] - coarse[b].d * coarse[b].q[j];
            ck_quantize_rows(residual, 1, 32, fine + b);
        }
    }
}

void ck_dot_tile(int format, const uint8_t *w, size_t row_bytes, int r, const ck_q8_block *x, size_t x_stride, int n,
                 int blocks, float *out) {
#if defined(__x86_64__)
    switch (ck_active_path()) {
    case CK_PATH_AVX_VNNI: dot_tile_vnni(format, w, row_bytes, r, x, x_stride, n, blocks, out); return;
    case CK_PATH_AVX2: dot_tile_avx2(format, w, row_bytes, r, x, x_stride, n, blocks, out); return;
    default: break;
    }
#endif
    for (int k = 0; k < r; k++)
        for (int i = 0; i < n; i++) out[k * n + i] = dot_portable(format, w + k * row_bytes, x + i * x_stride, blocks);
}

float ck_dot(int format, const void *weight_row, const ck_q8_block *x, int blocks) {
    float out;
    ck_dot_tile(format, (const uint8_t *)weight_row, 0, 1, x, 0, 1, blocks, &out);
    return out;
}
