/* The session's thread pool and sinter_rt_parallel_for, which compiled parallel loops call. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* How long a thread with nothing to do polls before it sleeps: long enough to
 * bridge the serial code between two parallel loops of a model (so that the
 * next loop starts without a wake-up, which costs tens of microseconds), short
 * enough that an idle session stops using CPU almost at once. */
#define SINTER_SPIN_NS 200000
/* Stack for workers: model code may keep buffers on the stack, as it does on
 * the caller's thread, whose stack is usually 8 MiB. */
#define SINTER_WORKER_STACK (8u << 20)

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

/* One worker, on a cache line of its own: its claim word is written on every
 * loop. */
typedef struct sinter_worker {
  _Alignas(64) struct sinter_pool *pool;
  int32_t index; /* 1..num_workers: the chunk it runs; the caller runs 0 */
  pthread_t thread;
  /* The last generation whose chunk `index` someone took (see claim). */
  atomic_uint_fast64_t claimed;
} sinter_worker;

struct sinter_pool {
  int32_t num_threads; /* workers plus the calling thread */
  int32_t num_workers;
  int32_t started; /* workers running, for cleanup after a failed start */
  int spin;        /* 0 when there are more threads than cores */
  sinter_worker *workers;
  /* The current job: written by the caller before it bumps `generation`, read
   * by a worker only once it has claimed its chunk of it, left alone until
   * `pending` is 0. */
  sinter_parallel_body body;
  void *ctx;
  int64_t count;
  int32_t chunks;
  int stop;
  /* Sequentially consistent, so that a thread about to sleep and a thread
   * about to wake it always see each other (see publish/finish). */
  atomic_uint_fast64_t generation;
  atomic_int pending;         /* chunks of the job besides 0 not yet done */
  atomic_int sleepers;        /* workers blocked (or about to) on `wake` */
  atomic_int caller_sleeping; /* the caller blocked (or about to) on `done` */
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_cond_t done;
};

/* The pool of the session whose run is on this thread's stack, set by
 * sinter_session_run around the compiled code: the one way to reach it from
 * sinter_rt_parallel_for without a pool argument in the model ABI. */
static _Thread_local sinter_pool *current_pool;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int32_t sinter_available_cores(void) {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
#endif
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int32_t)n : 1;
}

/* One step of a polling loop: mostly a pause; every 64th step also gives the
 * core to another runnable thread (on a busy machine, perhaps the very one being
 * waited for) and checks the clock. Returns 0 once `deadline` has passed. */
static int pause_or_yield(unsigned step, int64_t deadline) {
  cpu_relax();
  if (step % 64 != 0)
    return 1;
  sched_yield();
  return now_ns() <= deadline;
}

/* Chunk `i` of `chunks` over [0, count): sizes differ by at most one. */
static void chunk_bounds(int64_t count, int32_t chunks, int32_t i,
                         int64_t *begin, int64_t *end) {
  int64_t base = count / chunks, extra = count % chunks;
  *begin = i * base + (i < extra ? i : extra);
  *end = *begin + base + (i < extra ? 1 : 0);
}

/* Waits until the generation differs from `seen`; returns the new one. */
static uint64_t wait_for_job(sinter_pool *p, uint64_t seen) {
  uint64_t gen;
  if (p->spin) {
    int64_t deadline = now_ns() + SINTER_SPIN_NS;
    for (unsigned i = 1;; ++i) {
      if ((gen = atomic_load(&p->generation)) != seen)
        return gen;
      if (!pause_or_yield(i, deadline))
        break;
    }
  }
  pthread_mutex_lock(&p->lock);
  atomic_fetch_add(&p->sleepers, 1);
  while ((gen = atomic_load(&p->generation)) == seen)
    pthread_cond_wait(&p->wake, &p->lock);
  atomic_fetch_sub(&p->sleepers, 1);
  pthread_mutex_unlock(&p->lock);
  return gen;
}

/* Takes chunk `w->index` of generation `gen` for the calling thread, unless
 * someone has. A worker that succeeds knows that the job is still `gen`'s (its
 * chunk is not done, so the caller is still waiting) and may read it; chunks
 * that a job does not have are marked taken before it is published. */
static int claim(sinter_worker *w, uint64_t gen) {
  uint_fast64_t last = atomic_load(&w->claimed);
  while (last < gen)
    if (atomic_compare_exchange_weak(&w->claimed, &last, gen))
      return 1;
  return 0;
}

static void run_chunk(sinter_pool *p, int32_t chunk) {
  int64_t begin, end;
  chunk_bounds(p->count, p->chunks, chunk, &begin, &end);
  p->body(p->ctx, begin, end);
}

/* A chunk is done; the last one wakes a sleeping caller. */
static void finish(sinter_pool *p) {
  if (atomic_fetch_sub(&p->pending, 1) == 1 &&
      atomic_load(&p->caller_sleeping)) {
    pthread_mutex_lock(&p->lock);
    pthread_cond_signal(&p->done);
    pthread_mutex_unlock(&p->lock);
  }
}

static void *worker_main(void *arg) {
  sinter_worker *w = arg;
  sinter_pool *p = w->pool;
  uint64_t seen = 0;
  for (;;) {
    seen = wait_for_job(p, seen);
    if (p->stop)
      return NULL;
    if (claim(w, seen)) {
      run_chunk(p, w->index);
      finish(p);
    }
  }
}

/* Makes the job visible and wakes workers that went to sleep. */
static uint64_t publish(sinter_pool *p) {
  uint64_t gen = atomic_load(&p->generation) + 1;
  for (int32_t i = p->chunks; i < p->num_threads; ++i)
    atomic_store(&p->workers[i - 1].claimed, gen);
  atomic_store(&p->pending, p->chunks - 1);
  atomic_store(&p->generation, gen);
  if (atomic_load(&p->sleepers) > 0) {
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
  }
  return gen;
}

static void wait_for_workers(sinter_pool *p) {
  if (p->spin) {
    int64_t deadline = now_ns() + SINTER_SPIN_NS;
    for (unsigned i = 1; atomic_load(&p->pending) > 0; ++i)
      if (!pause_or_yield(i, deadline))
        break;
  }
  if (atomic_load(&p->pending) == 0)
    return;
  pthread_mutex_lock(&p->lock);
  atomic_store(&p->caller_sleeping, 1);
  while (atomic_load(&p->pending) > 0)
    pthread_cond_wait(&p->done, &p->lock);
  atomic_store(&p->caller_sleeping, 0);
  pthread_mutex_unlock(&p->lock);
}

static void run_job(sinter_pool *p, sinter_parallel_body body, void *ctx,
                    int64_t count) {
  p->body = body;
  p->ctx = ctx;
  p->count = count;
  p->chunks = count < p->num_threads ? (int32_t)count : p->num_threads;
  uint64_t gen = publish(p);
  run_chunk(p, 0);
  /* Chunks whose workers have not started yet (asleep, or without a core on
   * a busy machine) are run here rather than waited for. */
  for (int32_t i = 1; i < p->chunks; ++i)
    if (claim(&p->workers[i - 1], gen)) {
      run_chunk(p, i);
      atomic_fetch_sub(&p->pending, 1);
    }
  wait_for_workers(p);
}

void sinter_pool_destroy(sinter_pool *p) {
  if (p == NULL)
    return;
  if (p->started > 0) {
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    atomic_fetch_add(&p->generation, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int32_t i = 0; i < p->started; ++i)
      pthread_join(p->workers[i].thread, NULL);
  }
  pthread_cond_destroy(&p->done);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
  free(p->workers);
  free(p);
}

/* Starts the workers with every signal blocked, so that signals go to the
 * application's own threads, and with a stack as large as a main thread's. */
static int start_workers(sinter_pool *p, sinter_msg *msg) {
  pthread_attr_t attr;
  int rc = pthread_attr_init(&attr);
  if (rc != 0) {
    sinter_msg_printf(msg, "cannot start worker threads: %s", strerror(rc));
    return 0;
  }
  size_t stack = 0;
  if (pthread_attr_getstacksize(&attr, &stack) == 0 && stack < SINTER_WORKER_STACK)
    pthread_attr_setstacksize(&attr, SINTER_WORKER_STACK);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  for (int32_t i = 0; i < p->num_workers; ++i) {
    sinter_worker *w = &p->workers[i];
    w->pool = p;
    w->index = i + 1;
    atomic_init(&w->claimed, 0);
    rc = pthread_create(&w->thread, &attr, worker_main, w);
    if (rc != 0) {
      sinter_msg_printf(msg,
                        "cannot start worker thread %" PRId32 " of %" PRId32
                        " (num_threads %" PRId32 "): %s",
                        i + 1, p->num_workers, p->num_threads, strerror(rc));
      break;
    }
    ++p->started;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  return p->started == p->num_workers;
}

sinter_status sinter_pool_create(int32_t num_threads, sinter_pool **out,
                                 sinter_msg *msg) {
  *out = NULL;
  if (num_threads <= 1)
    return SINTER_OK; /* no workers: parallel loops run on the caller */
  sinter_pool *p = calloc(1, sizeof(*p));
  if (p == NULL) {
    sinter_msg_printf(msg, "out of memory creating a thread pool");
    return SINTER_OUT_OF_MEMORY;
  }
  p->num_threads = num_threads;
  p->num_workers = num_threads - 1;
  /* Spinning on more threads than cores would take the core from the very
   * thread being waited for. */
  p->spin = num_threads <= sinter_available_cores();
  atomic_init(&p->generation, 0);
  atomic_init(&p->pending, 0);
  atomic_init(&p->sleepers, 0);
  atomic_init(&p->caller_sleeping, 0);
  int rc = pthread_mutex_init(&p->lock, NULL);
  int rc_wake = pthread_cond_init(&p->wake, NULL);
  int rc_done = pthread_cond_init(&p->done, NULL);
  p->workers = aligned_alloc(_Alignof(sinter_worker),
                             (size_t)p->num_workers * sizeof(sinter_worker));
  if (p->workers != NULL)
    memset(p->workers, 0, (size_t)p->num_workers * sizeof(sinter_worker));
  if (rc != 0 || rc_wake != 0 || rc_done != 0 || p->workers == NULL) {
    sinter_msg_printf(msg, "cannot create a thread pool of %" PRId32 " threads",
                      num_threads);
    sinter_pool_destroy(p);
    return SINTER_OUT_OF_MEMORY;
  }
  if (!start_workers(p, msg)) {
    sinter_pool_destroy(p);
    return SINTER_UNAVAILABLE;
  }
  *out = p;
  return SINTER_OK;
}

sinter_pool *sinter_pool_enter(sinter_pool *p) {
  sinter_pool *previous = current_pool;
  current_pool = p;
  return previous;
}

void sinter_pool_leave(sinter_pool *previous) { current_pool = previous; }

void sinter_rt_parallel_for(sinter_parallel_body body, void *ctx,
                            int64_t count) {
  if (count <= 0)
    return;
  sinter_pool *p = current_pool;
  if (p == NULL || count < 2) {
    body(ctx, 0, count);
    return;
  }
  /* A parallel loop inside a chunk runs serially: the pool is busy. */
  current_pool = NULL;
  run_job(p, body, ctx, count);
  current_pool = p;
}
