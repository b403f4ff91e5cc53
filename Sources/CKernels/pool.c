// A fixed worker pool with cheap dispatch: the caller publishes a task by bumping a generation counter;
// workers spin on it for a short while (so the ~200 calls of a decode step cost well under a µs each to
// start), then sleep on a condition variable so no core keeps spinning once the engine goes idle.
//
// Tasks claim their work from shared counters, so the caller never waits for a worker that has not
// started: when the caller runs out of work it closes the task, and only workers already inside it are
// waited for. A worker that wakes late (other processes on the cores) finds the task closed and skips it.
#include "CKernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

struct ck_pool {
    int threads;
    int64_t spin_ns;
    pthread_t *workers;
    pthread_mutex_t submit;              // serialises ck_pool_run callers
    pthread_mutex_t mutex;               // guards sleeping
    pthread_cond_t wake;
    _Atomic unsigned generation;         // bumped once per task
    _Atomic int sleepers;
    _Atomic uint64_t entry;              // generation << 32 | closed bit | workers inside the task
    _Atomic int stopping;
    ck_task task;
    void *context;
};

typedef struct {
    ck_pool *pool;
    int index;
} worker_start;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/// Waits until the generation moves past `seen`: spins up to spin_ns, then sleeps.
static unsigned await_generation(ck_pool *pool, unsigned seen) {
    unsigned g;
    const int64_t deadline = now_ns() + pool->spin_ns;
    for (int spins = 0; (g = atomic_load(&pool->generation)) == seen; spins++) {
        if ((spins & 255) == 255 && now_ns() > deadline) {
            pthread_mutex_lock(&pool->mutex);
            atomic_fetch_add(&pool->sleepers, 1);
            while ((g = atomic_load(&pool->generation)) == seen) pthread_cond_wait(&pool->wake, &pool->mutex);
            atomic_fetch_sub(&pool->sleepers, 1);
            pthread_mutex_unlock(&pool->mutex);
            return g;
        }
        cpu_relax();
    }
    return g;
}

#define ENTRY_CLOSED ((uint64_t)1 << 31)
#define ENTRY_INSIDE ((uint64_t)0x7FFFFFFF)

/// Joins task `generation` unless the caller has closed it (or moved on); true when joined.
static int try_enter(ck_pool *pool, unsigned generation) {
    uint64_t entry = atomic_load(&pool->entry);
    while ((unsigned)(entry >> 32) == generation && !(entry & ENTRY_CLOSED)) {
        if (atomic_compare_exchange_weak(&pool->entry, &entry, entry + 1)) return 1;
    }
    return 0;
}

static void *worker_main(void *arg) {
    worker_start start = *(worker_start *)arg;
    free(arg);
    ck_pool *pool = start.pool;
    unsigned seen = 0;
    for (;;) {
        seen = await_generation(pool, seen);
        if (atomic_load(&pool->stopping)) return NULL;
        if (!try_enter(pool, seen)) continue;
        pool->task(pool->context, start.index, pool->threads);
        atomic_fetch_sub_explicit(&pool->entry, 1, memory_order_release);
    }
}

ck_pool *ck_pool_create(int threads, int spin_us) {
    ck_pool *pool = calloc(1, sizeof(ck_pool));
    pool->threads = threads < 1 ? 1 : threads;
    pool->spin_ns = (int64_t)(spin_us < 0 ? 0 : spin_us) * 1000;
    pthread_mutex_init(&pool->submit, NULL);
    pthread_mutex_init(&pool->mutex, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pool->workers = calloc((size_t)pool->threads, sizeof(pthread_t));
    for (int i = 1; i < pool->threads; i++) {
        worker_start *start = malloc(sizeof(worker_start));
        start->pool = pool;
        start->index = i;
        pthread_create(&pool->workers[i], NULL, worker_main, start);
    }
    return pool;
}

/// Publishes the current task to the workers, waking sleepers.
static void publish(ck_pool *pool) {
    atomic_fetch_add(&pool->generation, 1);       // seq_cst: ordered before the sleepers load below
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->mutex);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
    }
}

void ck_pool_destroy(ck_pool *pool) {
    if (!pool) return;
    atomic_store(&pool->stopping, 1);
    publish(pool);
    for (int i = 1; i < pool->threads; i++) pthread_join(pool->workers[i], NULL);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->mutex);
    pthread_mutex_destroy(&pool->submit);
    free(pool->workers);
    free(pool);
}

int ck_pool_threads(const ck_pool *pool) { return pool->threads; }

void ck_pool_run(ck_pool *pool, ck_task task, void *context) {
    if (pool->threads == 1) {
        task(context, 0, 1);
        return;
    }
    pthread_mutex_lock(&pool->submit);
    pool->task = task;
    pool->context = context;
    atomic_store(&pool->entry, (uint64_t)(atomic_load(&pool->generation) + 1) << 32);
    publish(pool);
    task(context, 0, pool->threads);
    // Close the task, then wait for the workers inside it: they finish about when the caller does; if one
    // was preempted mid-task, yield so it can run instead of spinning against it.
    atomic_fetch_or(&pool->entry, ENTRY_CLOSED);
    for (int spins = 0; atomic_load_explicit(&pool->entry, memory_order_acquire) & ENTRY_INSIDE; spins++) {
        if (spins < 2000) cpu_relax(); else sched_yield();
    }
    pthread_mutex_unlock(&pool->submit);
}
