/// C kernels of the quantized inference engine: activation quantisation, quantized block products,
/// a small worker pool, and the row-wise transformer kernels (attention, RMSNorm, RoPE, SwiGLU, LoRA).
///
/// SIMD: the quantized kernels read weights repacked in groups of 16 rows (`ck_pack_rows`) and have an
/// AVX-512 VNNI path, an AVX2+FMA+F16C path (with an AVX-VNNI variant) and a portable C path, all
/// bitwise-identical; `ck_detected_path` picks the best at run time from `__builtin_cpu_supports`. The plain-loop
/// kernels are compiled twice (`target_clones("arch=x86-64-v3", "default")`) and the loader picks the
/// clone for the CPU (ifunc). Nothing needs a global -mavx2.
#pragma once
#include <stddef.h>
#include <stdint.h>

// MARK: - Activations and paths

/// 32 activations quantised to int8: value ≈ d · q; s = d · Σq (used by the offset formats Q4_0, Q4_1).
typedef struct {
    float d;
    float s;
    int8_t q[32];
} ck_q8_block;

/// Weight formats, numbered as ggml (and `BlockFormat`) number them.
enum { CK_Q4_0 = 2, CK_Q4_1 = 3, CK_Q8_0 = 8 };

/// The code path that runs the quantized kernels, from the slowest to the fastest.
typedef enum { CK_PATH_PORTABLE = 0, CK_PATH_AVX2 = 1, CK_PATH_AVX_VNNI = 2, CK_PATH_AVX512_VNNI = 3 } ck_path;

/// Whether this CPU runs `path`: AVX2 needs avx2, fma and f16c; AVX-VNNI (256-bit `vpdpbusd` in place of
/// maddubs + madd) also avxvnni; AVX-512 VNNI (16 rows per instruction) also avx512f, avx512bw, avx512vnni.
int ck_path_supported(ck_path path);
/// The fastest path this CPU supports.
ck_path ck_detected_path(void);
/// The path in use (the detected one unless forced).
ck_path ck_active_path(void);
/// Forces a path (tests compare them); a path the CPU lacks falls back to portable.
void ck_force_path(ck_path path);

/// Quantises `rows` rows of `cols` floats (cols a multiple of 32) into rows·cols/32 blocks.
void ck_quantize_rows(const float *x, int rows, int cols, ck_q8_block *out);

/// Like `ck_quantize_rows`, with a second pass on the rounding error: row r becomes rows 2r (x ≈ d·q) and
/// 2r + 1 (the residual), so a product over both (`terms` = 2) sees x to about 16 bits.
void ck_quantize_rows_refined(const float *x, int rows, int cols, ck_q8_block *out);

/// Bytes of one 32-weight block of `format`.
int ck_block_bytes(int format);

/// Bytes of a `[rows, cols]` matrix of `format` packed for the products (rows rounded up to 16).
size_t ck_packed_bytes(int format, int rows, int cols);
/// Packs `rows` rows of `cols` weights in ggml's block layout (`src`) into `packed` (`ck_packed_bytes`).
void ck_pack_rows(int format, const void *src, int rows, int cols, void *packed);

// MARK: - Worker pool

/// A fixed set of threads; the caller is thread 0. Workers spin briefly after a task, then sleep.
typedef struct ck_pool ck_pool;

/// A pool of `threads` threads in all (≥ 1) whose workers spin `spin_us` µs before sleeping.
ck_pool *ck_pool_create(int threads, int spin_us);
void ck_pool_destroy(ck_pool *pool);
int ck_pool_threads(const ck_pool *pool);

/// Work split by the callee, claimed from shared counters: it runs on the caller and on every worker that
/// arrives before the caller has finished, so it must not rely on a fixed split by `thread`.
typedef void (*ck_task)(void *context, int thread, int threads);
/// Runs `task` and returns when every thread that joined it is done. Calls from several threads are serialised.
void ck_pool_run(ck_pool *pool, ck_task task, void *context);

// MARK: - Quantized matrix products

/// One weight matrix applied to the shared activations of a `ck_matmul` call.
typedef struct {
    int format;
    /// W `[rows, cols]` packed by `ck_pack_rows`.
    const void *weights;
    int rows;
    /// Y `[m, ldy]`; columns [0, rows) are written.
    float *y;
    int ldy;
    /// Optional LoRA per activation row i: when lora_b[i] is non-null,
    /// y[i, o] += lora_scale[i] · Σ_r lora_b[i][o·rank + r] · lora_xa[i·rank + r].
    const float *const *lora_b;
    const float *lora_xa;
    const float *lora_scale;
    int rank;
} ck_matmul;

/// Y_j = X · W_jᵀ (+ LoRA) for every job: X is `[m, cols]` as m·terms rows of cols/32 blocks, where each
/// row of X is the sum of `terms` (1, or 2 from `ck_quantize_rows_refined`) consecutive block rows.
/// Output rows are split in chunks over the pool; each weight block is read once for all m rows.
void ck_matmul_run(ck_pool *pool, const ck_q8_block *x, int m, int terms, int cols, const ck_matmul *jobs, int count);

// MARK: - Row kernels

/// y `[rows, n]` = x / sqrt(mean(x²) + eps) · weight.
void ck_rms_norm(const float *x, int rows, int n, const float *weight, float eps, float *y);
/// g ← silu(g) · u, `[n]`.
void ck_swiglu(float *g, const float *u, int n);
/// x `[rows, heads·d]`: rotates adjacent pairs of every head by the angles whose cos/sin are `[rows, d/2]`.
void ck_rope(float *x, int rows, int heads, int d, const float *cos_table, const float *sin_table);
/// xa `[rank]` = A `[rank, n]` · x `[n]`.
void ck_lora_down(const float *x, int n, const float *a, int rank, float *xa);
/// y `[n]` += x `[n]`.
void ck_add(float *y, const float *x, int n);

/// One sequence's share of a batched attention: `t` query rows at positions first..first+t−1 over the first+t cached
/// positions, the first `prefix` of them read from prefix_keys/prefix_values `[prefix, kv_heads·d]` (shared by
/// several sequences; NULL when prefix is 0), the others from keys/values `[first+t−prefix, kv_heads·d]`.
/// q and out `[t, heads·d]`.
typedef struct {
    const float *q;
    const float *prefix_keys, *prefix_values;
    int prefix;
    const float *keys, *values;
    float *out;
    int t, first;
} ck_attention_segment;

/// Causal grouped-query attention of every segment in one pool task: the query heads that share a key/value head
/// are computed together (each cached row read once), items of (segment, 16 query rows, key/value head) split over
/// the pool. A row's result does not depend on the batch, the chunking or the thread count.
void ck_attention(ck_pool *pool, const ck_attention_segment *segments, int count, int heads, int kv_heads, int d);
