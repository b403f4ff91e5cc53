// Quantized matrix products over the worker pool: the packed 16-row groups of the weights are cut into
// chunks that threads claim from an atomic counter; each tile of ≤ CK_TILE activation rows passes over a
// group while it sits in L1, so a weight block is read from memory once per call for all activation rows.
#include "internal.h"
#include <stdatomic.h>

#define CK_MAX_JOBS 8
#define CK_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

// Sums may be reassociated so their loops vectorise; the order is fixed by the code, not by the thread count.
#pragma clang fp reassociate(on)

typedef struct {
    const ck_q8_block *x;
    int m, terms, blocks, chunk_groups, chunks;
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

/// The job's output rows of groups [first_group, end_group), for all activation rows, plus their LoRA deltas.
static void run_chunk(const matmul_context *c, const ck_matmul *job, int first_group, int end_group) {
    const size_t group_bytes = (size_t)c->blocks * CK_GROUP * ck_block_bytes(job->format);
    const int block_rows = c->m * c->terms;
    for (int g = first_group; g < end_group; g++) {
        const uint8_t *group = (const uint8_t *)job->weights + (size_t)g * group_bytes;
        const int first = g * CK_GROUP, rows = job->rows - first < CK_GROUP ? job->rows - first : CK_GROUP;
        for (int i = 0; i < block_rows; i += CK_TILE) {
            const int n = block_rows - i < CK_TILE ? block_rows - i : CK_TILE;
            float out[CK_TILE * CK_GROUP];                  // [n, 16]
            ck_group_tile(job->format, group, c->blocks, c->x + (size_t)i * c->blocks, c->blocks, n, out);
            for (int j = 0; j < n; j += c->terms) {
                float *y = job->y + (size_t)((i + j) / c->terms) * job->ldy + first;
                const float *v = out + j * CK_GROUP;
                for (int k = 0; k < rows; k++) y[k] = c->terms == 2 ? v[k] + v[CK_GROUP + k] : v[k];
            }
        }
    }
    if (!job->lora_b) return;
    const int begin = first_group * CK_GROUP, end = end_group * CK_GROUP < job->rows ? end_group * CK_GROUP : job->rows;
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
        const int groups = (c->jobs[job].rows + CK_GROUP - 1) / CK_GROUP;
        const int begin = (chunk - c->first_chunk[job]) * c->chunk_groups;
        run_chunk(c, &c->jobs[job], begin, begin + c->chunk_groups < groups ? begin + c->chunk_groups : groups);
    }
}

void ck_matmul_run(ck_pool *pool, const ck_q8_block *x, int m, int terms, int cols, const ck_matmul *jobs, int count) {
    // Few activation rows: chunks of four groups (longer runs for the prefetch); many: one group, so both threads
    // get a fair share.
    matmul_context c = {.x = x, .m = m, .terms = terms, .blocks = cols / 32, .chunk_groups = m * terms > CK_TILE ? 1 : 4,
                        .jobs = jobs, .count = count};
    for (int start = 0; start < count; start += CK_MAX_JOBS) {
        c.jobs = jobs + start;
        c.count = count - start < CK_MAX_JOBS ? count - start : CK_MAX_JOBS;
        c.first_chunk[0] = 0;
        for (int j = 0; j < c.count; j++)
            c.first_chunk[j + 1] = c.first_chunk[j] + ((c.jobs[j].rows + CK_GROUP - 1) / CK_GROUP + c.chunk_groups - 1) / c.chunk_groups;
        c.chunks = c.first_chunk[c.count];
        atomic_store(&c.next, 0);
        ck_pool_run(pool, matmul_task, &c);
    }
}
