// Row-wise transformer kernels as plain loops, compiled for x86-64-v3 (AVX2/FMA) and baseline; the
// loader picks the clone for this CPU. Swift references: VectorMath, RotaryEmbedding, LlamaModel.attend.
#include "CKernels.h"
#include <math.h>
#include <stdlib.h>
#include <stdatomic.h>

#define CK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

// Sums may be reassociated so their loops vectorise; the order is fixed by the code, not by the thread count.
#pragma clang fp reassociate(on)

CK_CLONES void ck_rms_norm(const float *x, int rows, int n, const float *weight, float eps, float *y) {
    for (int r = 0; r < rows; r++) {
        const float *row = x + (size_t)r * n;
        float sum = 0;
        for (int i = 0; i < n; i++) sum += row[i] * row[i];
        const float scale = 1 / sqrtf(sum / (float)n + eps);
        for (int i = 0; i < n; i++) y[(size_t)r * n + i] = row[i] * scale * weight[i];
    }
}

CK_CLONES void ck_swiglu(float *g, const float *u, int n) {
    for (int i = 0; i < n; i++) g[i] = g[i] / (1 + expf(-g[i])) * u[i];
}

CK_CLONES void ck_rope(float *x, int rows, int heads, int d, const float *cos_table, const float *sin_table) {
    const int pairs = d / 2;
    for (int t = 0; t < rows; t++) {
        const float *c = cos_table + (size_t)t * pairs, *s = sin_table + (size_t)t * pairs;
        for (int h = 0; h < heads; h++) {
            float *v = x + ((size_t)t * heads + h) * d;
            for (int i = 0; i < pairs; i++) {
                const float x0 = v[2 * i], x1 = v[2 * i + 1];
                v[2 * i] = x0 * c[i] - x1 * s[i];
                v[2 * i + 1] = x0 * s[i] + x1 * c[i];
            }
        }
    }
}

CK_CLONES void ck_lora_down(const float *x, int n, const float *a, int rank, float *xa) {
    for (int r = 0; r < rank; r++) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[(size_t)r * n + i] * x[i];
        xa[r] = sum;
    }
}

CK_CLONES void ck_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

// MARK: - Attention

typedef struct {
    const ck_attention_segment *segments;
    int count, heads, kv_heads, d;
    _Atomic int next;
} attention_context;

/// Query rows per work item: a long prompt splits into several items so both threads get work.
enum { CK_ATTENTION_CHUNK = 16 };

/// One query row of the `group` heads sharing a key/value head: softmax(q·Kᵀ/√d) · V over `visible` positions,
/// the first `shared` of them (at most) from keys0/values0 and the rest from keys1/values1, each key and value row
/// loaded once for the whole group. q and out hold the group's heads side by side `[group·d]`; `scores` holds
/// group·visible floats. Each head's sums run in the same order whatever the group or the split.
CK_CLONES static void attend_group(const float *q, const float *keys0, const float *values0, int shared,
                                   const float *keys1, const float *values1, int visible, int stride, int d, int group,
                                   float *scores, float *out) {
    const float scale = 1 / sqrtf((float)d);
    for (int j = 0; j < visible; j++) {
        const float *k = j < shared ? keys0 + (size_t)j * stride : keys1 + (size_t)(j - shared) * stride;
        for (int g = 0; g < group; g++) {
            const float *qg = q + (size_t)g * d;
            float dot = 0;
            for (int i = 0; i < d; i++) dot += qg[i] * k[i];
            scores[(size_t)g * visible + j] = dot * scale;
        }
    }
    for (int g = 0; g < group; g++) {
        float *s = scores + (size_t)g * visible, top = -INFINITY, sum = 0;
        for (int j = 0; j < visible; j++) top = s[j] > top ? s[j] : top;
        for (int j = 0; j < visible; j++) {
            s[j] = expf(s[j] - top);
            sum += s[j];
        }
        const float inv = 1 / sum;
        for (int j = 0; j < visible; j++) s[j] *= inv;
    }
    for (int i = 0; i < group * d; i++) out[i] = 0;
    for (int j = 0; j < visible; j++) {
        const float *v = j < shared ? values0 + (size_t)j * stride : values1 + (size_t)(j - shared) * stride;
        for (int g = 0; g < group; g++) {
            const float p = scores[(size_t)g * visible + j];
            float *og = out + (size_t)g * d;
            for (int i = 0; i < d; i++) og[i] += p * v[i];
        }
    }
}

static int row_chunks(const ck_attention_segment *segment) {
    return (segment->t + CK_ATTENTION_CHUNK - 1) / CK_ATTENTION_CHUNK;
}

/// Claims (segment, row chunk, key/value head) items until none are left.
static void attention_task(void *context, int thread, int threads) {
    (void)thread;
    (void)threads;
    attention_context *c = context;
    const int width = c->heads * c->d, stride = c->kv_heads * c->d, group = c->heads / c->kv_heads;
    int longest = 0;
    for (int s = 0; s < c->count; s++) {
        const int visible = c->segments[s].first + c->segments[s].t;
        longest = visible > longest ? visible : longest;
    }
    float *scores = malloc(sizeof(float) * (size_t)group * (size_t)longest);
    int segment = 0, items_before = 0;                  // items of the segments before `segment`
    for (int item; (item = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed)) >= 0;) {
        while (segment < c->count && item >= items_before + row_chunks(&c->segments[segment]) * c->kv_heads) {
            items_before += row_chunks(&c->segments[segment]) * c->kv_heads;
            segment++;
        }
        if (segment == c->count) break;
        const ck_attention_segment *s = &c->segments[segment];
        const int local = item - items_before, chunk = local / c->kv_heads, kv_head = local % c->kv_heads;
        const int first_row = chunk * CK_ATTENTION_CHUNK;
        const int end_row = first_row + CK_ATTENTION_CHUNK < s->t ? first_row + CK_ATTENTION_CHUNK : s->t;
        const size_t heads_offset = (size_t)kv_head * group * c->d;
        const size_t kv_offset = (size_t)kv_head * c->d;
        for (int row = first_row; row < end_row; row++) {
            attend_group(s->q + (size_t)row * width + heads_offset,
                         s->prefix ? s->prefix_keys + kv_offset : NULL, s->prefix ? s->prefix_values + kv_offset : NULL,
                         s->prefix, s->keys + kv_offset, s->values + kv_offset, s->first + row + 1, stride, c->d, group,
                         scores, s->out + (size_t)row * width + heads_offset);
        }
    }
    free(scores);
}

void ck_attention(ck_pool *pool, const ck_attention_segment *segments, int count, int heads, int kv_heads, int d) {
    attention_context c = {.segments = segments, .count = count, .heads = heads, .kv_heads = kv_heads, .d = d};
    atomic_store(&c.next, 0);
    ck_pool_run(pool, attention_task, &c);
}
