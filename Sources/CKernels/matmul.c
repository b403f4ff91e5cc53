// Quantized matrix products over the worker pool: output rows are cut into chunks that threads claim
// from an atomic counter; inside a chunk, each tile of ≤ CK_TILE activation rows passes over the chunk's
// weight rows, so a weight block is read from memory once per call for all activation rows.
#include "internal.h"
#include <stdatomic.h>

#define CK_MAX_JOBS 8
#define CK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

// Sums may be reassociated so their loops vectorise; the order is fixed by the code, not by the thread count.
#pragma clang fp reassociate(on)

typedef struct {
    const ck_q8_block *x;
    int m, terms, blocks, chunk_rows, chunks;
    const ck_matmul *jobs;
    int count;
    int first_chunk[CK_MAX_JOBS + 1];    // job j owns chunks [first_chunk[j], first_chunk[j + 1])
    _Atomic int next;
} matmul_context;

/// y[o] += scale · Σ_r b[o·rank + r] · xa[r] for o in [begin, end).
CK_CLONES static void lora_up(const float *b, const float *xa, int rank, float scale, int begin, int end, float *y) {
    for (int o = begin; o < end; o++) {
        float sum = 0;
        for (int r = 0; r < rank; r++) sum += b[(size_t)o * rank + r] * xa[r];
        y[o] += scale * sum;
    }
}

static void run_chunk(const matmul_context *c, const ck_matmul *job, int begin, int end) {
    const size_t row_bytes = (size_t)c->blocks * ck_block_bytes(job->format);
    const uint8_t *weights = job->weights;
    const int block_rows = c->m * c->terms;
    for (int i = 0; i < block_rows; i += CK_TILE) {
        const int n = block_rows - i < CK_TILE ? block_rows - i : CK_TILE, tile_rows = ck_tile_rows(n);
        for (int o = begin; o < end; o += tile_rows) {
            const int r = end - o < tile_rows ? end - o : tile_rows;
            float out[CK_TILE_ROWS * CK_TILE];
            ck_dot_tile(job->format, weights + (size_t)o * row_bytes, row_bytes, r, c->x + (size_t)i * c->blocks,
                        c->blocks, n, c->blocks, out);
            for (int k = 0; k < r; k++)
                for (int j = 0; j < n; j += c->terms) {
                    const float *v = out + k * n + j;
                    job->y[(size_t)((i + j) / c->terms) * job->ldy + o + k] = c->terms == 2 ? v[0] + v[1] : v[0];
                }
        }
    }
    if (!job->lora_b) return;
    for (int i = 0; i < c->m; i++) {
        if (job->lora_b[i])
            lora_up(job->lora_b[i], job->lora_xa + (size_t)i * job->rank, job->rank, job->lora_scale[i], begin, end,
                    job->y + (size_t)i * job->ldy);
    }
}

static void matmul_task(void *context, int thread, int threads) {
    (void)thread;
    (void)threads;
    matmul_context *c = context;
    int job = 0;
    for (int chunk; (chunk = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed)) < c->chunks;) {
        while (chunk >= c->first_chunk[job + 1]) job++;
        const int begin = (chunk - c->first_chunk[job]) * c->chunk_rows;
        const int end = begin + c->chunk_rows < c->jobs[job].rows ? begin + c->chunk_rows : c->jobs[job].rows;
        run_chunk(c, &c->jobs[job], begin, end);
    }
}

void ck_matmul_run(ck_pool *pool, const ck_q8_block *x, int m, int terms, int cols, const ck_matmul *jobs, int count) {
    // Small m: long chunks (few claims); large m: short chunks so both threads get a fair share.
    matmul_context c = {.x = x, .m = m, .terms = terms, .blocks = cols / 32, .chunk_rows = m * terms > 8 ? 8 : 32, .jobs = jobs,
                        .count = count};
    for (int start = 0; start < count; start += CK_MAX_JOBS) {
        c.jobs = jobs + start;
        c.count = count - start < CK_MAX_JOBS ? count - start : CK_MAX_JOBS;
        c.first_chunk[0] = 0;
        for (int j = 0; j < c.count; j++)
            c.first_chunk[j + 1] = c.first_chunk[j] + (c.jobs[j].rows + c.chunk_rows - 1) / c.chunk_rows;
        c.chunks = c.first_chunk[c.count];
        atomic_store(&c.next, 0);
        ck_pool_run(pool, matmul_task, &c);
    }
}
