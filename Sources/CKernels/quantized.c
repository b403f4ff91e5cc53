// Activation quantisation, the SIMD paths, and the products of packed weight groups (packing.c) with
// quantised activation blocks: an AVX-512 VNNI path, an AVX2 path (with an AVX-VNNI variant), and a
// portable one, all giving bitwise-identical results.
//
// Against an activation block (dx, sx = dx·Σq, q[32]) a weight block (u the unsigned nibbles or bytes,
// scale d, offset o: w = d·u + o) contributes  d·dx·Σ u_j q_j + o·sx.
#include "internal.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// MARK: - Paths

static int forced_path = -1;

int ck_path_supported(ck_path path) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    const int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    switch (path) {
    case CK_PATH_PORTABLE: return 1;
    case CK_PATH_AVX2: return avx2;
    case CK_PATH_AVX_VNNI: return avx2 && __builtin_cpu_supports("avxvnni");
    case CK_PATH_AVX512_VNNI:
        return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vnni");
    }
    return 0;
#else
    return path == CK_PATH_PORTABLE;
#endif
}

ck_path ck_detected_path(void) {
    for (int path = CK_PATH_AVX512_VNNI; path > CK_PATH_PORTABLE; path--)
        if (ck_path_supported((ck_path)path)) return (ck_path)path;
    return CK_PATH_PORTABLE;
}

ck_path ck_active_path(void) {
    static int detected = -1;
    if (forced_path >= 0) return (ck_path)forced_path;
    if (detected < 0) detected = ck_detected_path();
    return (ck_path)detected;
}

void ck_force_path(ck_path path) {
    forced_path = ck_path_supported(path) ? path : CK_PATH_PORTABLE;
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

static int32_t load_i32(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
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

/// The portable group kernel: the SIMD kernels' arithmetic, one lane at a time.
static void group_tile_portable(int format, const uint8_t *group, int blocks, const ck_q8_block *x, size_t x_stride,
                                int n, float *out) {
    const int vectors = ck_group_vectors(format);
    const uint8_t *scales = group + (size_t)blocks * vectors * 64, *offsets = scales + (size_t)blocks * 32;
    const float offset_factor = format == CK_Q4_0 ? -8.0f : -128.0f;
    for (int i = 0; i < n; i++) {
        for (int r = 0; r < CK_GROUP; r++) {
            float acc = 0, acc_offset = 0;
            for (int b = 0; b < blocks; b++) {
                const ck_q8_block *xb = x + i * x_stride + b;
                const uint8_t *lane = group + (size_t)b * vectors * 64 + 4 * r;
                const float d = half_to_float(load_u16(scales + (size_t)b * 32 + 2 * r));
                const float o = format == CK_Q4_1 ? half_to_float(load_u16(offsets + (size_t)b * 32 + 2 * r)) : d * offset_factor;
                int sum = 0;
                for (int j = 0; j < 8; j++) {
                    for (int k = 0; k < 4; k++) {
                        const int u = format == CK_Q8_0 ? lane[64 * j + k]
                                      : j < 4 ? lane[64 * j + k] & 0x0F : lane[64 * (j - 4) + k] >> 4;
                        sum += u * xb->q[4 * j + k];
                    }
                }
                acc = fmaf((float)sum * d, xb->d, acc);
                acc_offset = fmaf(o, xb->s, acc_offset);
            }
            out[i * CK_GROUP + r] = acc + acc_offset;
        }
    }
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

// 8 lanes: a group of 16 rows in two passes.
#define CK_LANES 8
#define CK_VI __m256i
#define CK_VF __m256
#define CK_LOADI(p) _mm256_loadu_si256((const __m256i *)(p))
#define CK_ZEROI() _mm256_setzero_si256()
#define CK_SET1I8(c) _mm256_set1_epi8(c)
#define CK_AND(a, b) _mm256_and_si256(a, b)
#define CK_SRLI16(a, n) _mm256_srli_epi16(a, n)
#define CK_ADDI(a, b) _mm256_add_epi32(a, b)
#define CK_BCAST32(p) _mm256_set1_epi32(load_i32(p))
#define CK_CVTF(v) _mm256_cvtepi32_ps(v)
#define CK_ZEROF() _mm256_setzero_ps()
#define CK_SET1F(f) _mm256_set1_ps(f)
#define CK_MULF(a, b) _mm256_mul_ps(a, b)
#define CK_ADDF(a, b) _mm256_add_ps(a, b)
#define CK_FMADDF(a, b, c) _mm256_fmadd_ps(a, b, c)
#define CK_LOADH(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))
#define CK_STOREF(p, v) _mm256_storeu_ps(p, v)

// AVX2: u8·s8 pairs in i16 (maddubs) then pairs of pairs in i32 (madd). Nibbles cannot saturate an i16
// (2·15·127); full bytes can, so they go as high and low nibbles (Σu·q = 16·Σhi·q + Σlo·q).
#define CK_VARIANT(name) name##_avx2
#define CK_TARGET AVX2
#define CK_DOT4_NIBBLES(acc, w, x) _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1)))
#define CK_DOT4_BYTES(acc, w, x) _mm256_add_epi32(CK_DOT4_NIBBLES(acc, _mm256_and_si256(w, _mm256_set1_epi8(0x0F)), x), \
    _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(w, 4), _mm256_set1_epi8(0x0F)), x), _mm256_set1_epi16(16)))
#include "group_tile.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_DOT4_NIBBLES
#undef CK_DOT4_BYTES

// AVX-VNNI: one vpdpbusd (u8·s8, four per i32 lane, no saturation) on 256-bit vectors.
#define CK_VARIANT(name) name##_vnni
#define CK_TARGET __attribute__((target("avx2,fma,f16c,avxvnni")))
#define CK_DOT4_NIBBLES(acc, w, x) _mm256_dpbusd_avx_epi32(acc, w, x)
#define CK_DOT4_BYTES(acc, w, x) _mm256_dpbusd_avx_epi32(acc, w, x)
#include "group_tile.h"
#undef CK_VARIANT
#undef CK_TARGET
#undef CK_DOT4_NIBBLES
#undef CK_DOT4_BYTES

#undef CK_LANES
#undef CK_VI
#undef CK_VF
#undef CK_LOADI
#undef CK_ZEROI
#undef CK_SET1I8
#undef CK_AND
#undef CK_SRLI16
#undef CK_ADDI
#undef CK_BCAST32
#undef CK_CVTF
#undef CK_ZEROF
#undef CK_SET1F
#undef CK_MULF
#undef CK_ADDF
#undef CK_FMADDF
#undef CK_LOADH
#undef CK_STOREF

// AVX-512 VNNI: 16 lanes, a group in one pass.
#define CK_LANES 16
#define CK_VI __m512i
#define CK_VF __m512
#define CK_LOADI(p) _mm512_loadu_si512((const void *)(p))
#define CK_ZEROI() _mm512_setzero_si512()
#define CK_SET1I8(c) _mm512_set1_epi8(c)
#define CK_AND(a, b) _mm512_and_si512(a, b)
#define CK_SRLI16(a, n) _mm512_srli_epi16(a, n)
#define CK_ADDI(a, b) _mm512_add_epi32(a, b)
#define CK_BCAST32(p) _mm512_set1_epi32(load_i32(p))
#define CK_CVTF(v) _mm512_cvtepi32_ps(v)
#define CK_ZEROF() _mm512_setzero_ps()
#define CK_SET1F(f) _mm512_set1_ps(f)
#define CK_MULF(a, b) _mm512_mul_ps(a, b)
#define CK_ADDF(a, b) _mm512_add_ps(a, b)
#define CK_FMADDF(a, b, c) _mm512_fmadd_ps(a, b, c)
#define CK_LOADH(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p)))
#define CK_STOREF(p, v) _mm512_storeu_ps(p, v)
#define CK_VARIANT(name) name##_avx512
#define CK_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma,f16c")))
#define CK_DOT4_NIBBLES(acc, w, x) _mm512_dpbusd_epi32(acc, w, x)
#define CK_DOT4_BYTES(acc, w, x) _mm512_dpbusd_epi32(acc, w, x)
#include "group_tile.h"
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

void ck_group_tile(int format, const uint8_t *group, int blocks, const ck_q8_block *x, size_t x_stride, int n, float *out) {
#if defined(__x86_64__)
    switch (ck_active_path()) {
    case CK_PATH_AVX512_VNNI: group_tile_avx512(format, group, blocks, x, x_stride, n, out); return;
    case CK_PATH_AVX_VNNI: group_tile_vnni(format, group, blocks, x, x_stride, n, out); return;
    case CK_PATH_AVX2: group_tile_avx2(format, group, blocks, x, x_stride, n, out); return;
    default: break;
    }
#endif
    group_tile_portable(format, group, blocks, x, x_stride, n, out);
}
