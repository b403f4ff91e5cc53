// Row-wise transformer kernels as plain loops, compiled for x86-64-v3 (AVX2/FMA) and baseline; the
// loader picks the clone for this CPU. Swift references: VectorMath, RotaryEmbedding, LlamaModel.attend.
#include "CKernels.h"
#include <math.h>
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
    const float *q, *keys, *values;
    float *out;
    int t, first, heads, kv_heads, d;
    _Atomic int next;
} attention_context;

/// One query row of one head: softmax(q·Kᵀ/√d) · V over `visible` positions; `scores` holds `visible` floats.
CK_CLONES static void attend_row(const float *q, const float *keys, const float *values, int visible, int stride,
                                 int d, float *scores, float *out) {
    const float scale = 1 / sqrtf((float)d);
    float top = -INFINITY;
    for (int j = 0; j < visible; j++) {
        const float *k = keys + (size_t)j * stride;
        float dot = 0;
        for (int i = 0; i < d; i++) dot += q[i] * k[i];
        scores[j] = dot * scale;
        top = scores[j] > top ? scores[j] : top;
    }
    float sum = 0;
    for (int j = 0; j < visible; j++) {
        scores[j] = expf(scores[j] - top);
        sum += scores[j];
    }
    const float inv = 1 / sum;
    for (int i = 0; i < d; i++) out[i] = 0;
    for (int j = 0; j < visible; j++) {
        const float p = scores[j] * inv;
        const float *v = values + (size_t)j * stride;
        for (int i = 0; i < d; i++) out[i] += p * v[i];
    }
}

static void attention_task(void *context, int thread, int threads) {
    (void)thread;
    (void)threads;
    attention_context *c = context;
    const int width = c->heads * c->d, stride = c->kv_heads * c->d, group = c->heads / c->kv_heads;
    float scores[c->first + c->t];
    for (int head; (head = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed)) < c->heads;) {
        const int kv = (head / group) * c->d;
        for (int row = 0; row < c->t; row++) {
            attend_row(c->q + (size_t)row * width + head * c->d, c->keys + kv, c->values + kv, c->first + row + 1,
                       stride, c->d, scores, c->out + (size_t)row * width + head * c->d);
        }
    }
}

void ck_attention(ck_pool *pool, const float *q, int t, const float *keys, const float *values, int first,
                  int heads, int kv_heads, int d, float *out) {
    attention_context c = {.q = q, .keys = keys, .values = values, .out = out, .t = t, .first = first,
                           .heads = heads, .kv_heads = kv_heads, .d = d};
    atomic_store(&c.next, 0);
    ck_pool_run(pool, attention_task, &c);
}
