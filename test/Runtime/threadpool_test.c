/* Tests the session's thread pool through sinter_rt_parallel_for, called from a hand-written model as compiled code calls it. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sinter/model_abi.h"
#include "sinter/sinter.h"

static int passed;
static int failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++passed;                                                                \
    } else {                                                                   \
      ++failed;                                                                \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);     \
    }                                                                          \
  } while (0)

enum { MAX_COUNT = 1000, MAX_CHUNKS = 64, REPEATS = 200 };

/* What one parallel_for saw: how often each index ran, and its chunks. */
typedef struct loop_record {
  atomic_int visits[MAX_COUNT];
  atomic_int num_chunks;
  int64_t begins[MAX_CHUNKS], ends[MAX_CHUNKS];
  pthread_t threads[MAX_CHUNKS];
  int nested; /* whether the body runs a loop of its own */
  atomic_int nested_calls;
} loop_record;

static void nested_body(void *ctx, int64_t begin, int64_t end) {
  loop_record *r = ctx;
  /* Runs on the calling thread, in one piece. */
  if (begin == 0 && end == 5)
    atomic_fetch_add(&r->nested_calls, 1);
}

static void body(void *ctx, int64_t begin, int64_t end) {
  loop_record *r = ctx;
  int slot = atomic_fetch_add(&r->num_chunks, 1);
  if (slot < MAX_CHUNKS) {
    r->begins[slot] = begin;
    r->ends[slot] = end;
    r->threads[slot] = pthread_self();
  }
  for (int64_t i = begin; i < end; ++i)
    if (i >= 0 && i < MAX_COUNT)
      atomic_fetch_add(&r->visits[i], 1);
  if (r->nested)
    sinter_rt_parallel_for(nested_body, r, 5);
}

static void reset(loop_record *r) { memset(r, 0, sizeof(*r)); }

/* Every index once; min(threads, count) contiguous chunks whose sizes differ
 * by at most one. (Which thread runs a chunk is not fixed: the caller runs
 * those of workers that have not started yet.) */
static int check_record(const loop_record *r, int64_t count, int threads) {
  int ok = 1;
  for (int64_t i = 0; i < count; ++i)
    ok &= atomic_load(&r->visits[i]) == 1;
  int chunks = atomic_load(&r->num_chunks);
  int64_t expected = count < threads ? count : threads;
  if (count == 0)
    return ok && chunks <= 1;
  ok &= chunks == expected;
  int64_t smallest = INT64_MAX, largest = 0, covered = 0;
  for (int c = 0; c < chunks && c < MAX_CHUNKS; ++c) {
    int64_t size = r->ends[c] - r->begins[c];
    smallest = size < smallest ? size : smallest;
    largest = size > largest ? size : largest;
    covered += size;
  }
  ok &= covered == count && largest - smallest <= 1;
  /* No more threads than the session has. */
  int distinct = 0;
  for (int c = 0; c < chunks && c < MAX_CHUNKS; ++c) {
    int seen = 0;
    for (int d = 0; d < c; ++d)
      seen |= pthread_equal(r->threads[c], r->threads[d]);
    distinct += !seen;
  }
  ok &= distinct <= threads;
  return ok;
}

/* ---- A model whose invoke runs the loops under test. ---- */

static const int64_t kDims[1] = {1};
static const sinter_tensor_desc kInputs[1] = {{"x", SINTER_F32, 1, kDims}};
static const sinter_tensor_desc kOutputs[1] = {{"y", SINTER_F32, 1, kDims}};

/* What the next run does; set by the test before sinter_session_run. */
typedef struct run_plan {
  int threads;
  int failures;
  int loops;
  int nested;
} run_plan;

static const int64_t kCounts[] = {0, 1, 2, 3, 7, 1000};

/* The model reads its plan through the input pointer, so that two sessions on
 * two threads each follow their own. */
static void loops_invoke(void *const *inputs, void *const *outputs,
                         void *workspace) {
  (void)outputs;
  (void)workspace;
  run_plan *plan = inputs[0];
  static _Thread_local loop_record record;
  for (int repeat = 0; repeat < REPEATS; ++repeat) {
    for (size_t c = 0; c < sizeof(kCounts) / sizeof(kCounts[0]); ++c) {
      reset(&record);
      record.nested = plan->nested;
      sinter_rt_parallel_for(body, &record, kCounts[c]);
      ++plan->loops;
      if (!check_record(&record, kCounts[c], plan->threads))
        ++plan->failures;
      /* A loop of one iteration runs on the caller without taking the pool,
       * so only the bodies of wider loops must see their own loops serial. */
      if (plan->nested && kCounts[c] >= 2 &&
          atomic_load(&record.nested_calls) != atomic_load(&record.num_chunks))
        ++plan->failures;
    }
  }
}

static const struct sinter_model kLoopsModel = {
    SINTER_MODEL_MAGIC, SINTER_MODEL_ABI_VERSION, "loops", 1, 1, kInputs,
    kOutputs, 0, loops_invoke};

static sinter_session *open_session(int threads) {
  sinter_session_options o;
  sinter_session_options_init(&o);
  o.num_threads = threads;
  char error[256] = "";
  o.error = error;
  o.error_size = sizeof(error);
  sinter_session *s = NULL;
  sinter_status status = sinter_session_create(&kLoopsModel, &o, &s);
  if (status != SINTER_OK)
    fprintf(stderr, "session of %d threads: %s\n", threads, error);
  return s;
}

/* The plan travels as the input's data; the output is unused. */
static int run_plan_on(sinter_session *s, run_plan *plan) {
  float out = 0;
  int64_t dims[1] = {1};
  sinter_tensor in = {plan, SINTER_F32, 1, dims};
  sinter_tensor o = {&out, SINTER_F32, 1, dims};
  return sinter_session_run(s, &in, 1, &o, 1) == SINTER_OK;
}

static void test_thread_counts(void) {
  /* 3 and 7 are more threads than this machine may have cores. */
  const int counts[] = {1, 2, 3, 4, 7};
  for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); ++i) {
    sinter_session *s = open_session(counts[i]);
    CHECK(s != NULL);
    if (s == NULL)
      continue;
    run_plan plan = {counts[i], 0, 0, 0};
    CHECK(run_plan_on(s, &plan));
    /* A second run reuses the pool. */
    CHECK(run_plan_on(s, &plan));
    if (plan.failures)
      fprintf(stderr, "%d threads: %d of %d loops wrong\n", counts[i],
              plan.failures, plan.loops);
    CHECK(plan.failures == 0);
    CHECK(plan.loops == 2 * REPEATS * 6);
    sinter_session_destroy(s);
  }
}

static void test_nested_runs_serially(void) {
  sinter_session *s = open_session(2);
  CHECK(s != NULL);
  run_plan plan = {2, 0, 0, 1};
  CHECK(s && run_plan_on(s, &plan));
  CHECK(plan.failures == 0);
  sinter_session_destroy(s);
}

/* Outside a session's run there is no pool: the caller runs it all. */
static void test_without_session(void) {
  static loop_record record;
  reset(&record);
  sinter_rt_parallel_for(body, &record, 1000);
  CHECK(check_record(&record, 1000, 1));
}

/* All cores: the default. */
static void test_default_threads(void) {
  sinter_session *s = open_session(0);
  CHECK(s != NULL);
  long cores = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    cores = CPU_COUNT(&set);
  run_plan plan = {(int)cores, 0, 0, 0};
  CHECK(s && run_plan_on(s, &plan));
  CHECK(plan.failures == 0);
  sinter_session_destroy(s);
}

static void *run_session_thread(void *arg) {
  run_plan *plan = arg;
  sinter_session *s = open_session(plan->threads);
  if (s == NULL || !run_plan_on(s, plan))
    ++plan->failures;
  sinter_session_destroy(s);
  return NULL;
}

/* Two sessions, two pools, run at once from two threads. */
static void test_concurrent_sessions(void) {
  run_plan a = {2, 0, 0, 0}, b = {3, 0, 0, 0};
  pthread_t ta, tb;
  CHECK(pthread_create(&ta, NULL, run_session_thread, &a) == 0);
  CHECK(pthread_create(&tb, NULL, run_session_thread, &b) == 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK(a.failures == 0 && a.loops == REPEATS * 6);
  CHECK(b.failures == 0 && b.loops == REPEATS * 6);
}

/* A session is usable from any one thread at a time. */
static void *run_plan_thread(void *arg) {
  void **args = arg;
  if (!run_plan_on(args[0], args[1]))
    ++((run_plan *)args[1])->failures;
  return NULL;
}

static void test_session_moves_between_threads(void) {
  sinter_session *s = open_session(2);
  CHECK(s != NULL);
  run_plan plan = {2, 0, 0, 0};
  void *args[2] = {s, &plan};
  for (int i = 0; i < 3; ++i) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, run_plan_thread, args) == 0);
    pthread_join(t, NULL);
  }
  CHECK(plan.failures == 0 && plan.loops == 3 * REPEATS * 6);
  sinter_session_destroy(s);
}

static double cpu_seconds(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/* Idle workers sleep: 200 ms of an idle session costs (almost) no CPU. This
 * measures CPU time, not latency, so a loaded machine cannot fail it. */
static void test_idle_pool_sleeps(void) {
  sinter_session *s = open_session(2);
  CHECK(s != NULL);
  run_plan plan = {2, 0, 0, 0};
  CHECK(s && run_plan_on(s, &plan));
  struct timespec settle = {0, 20 * 1000 * 1000};
  nanosleep(&settle, NULL);
  double before = cpu_seconds();
  struct timespec idle = {0, 200 * 1000 * 1000};
  nanosleep(&idle, NULL);
  double used = cpu_seconds() - before;
  if (used >= 0.02)
    fprintf(stderr, "an idle pool used %.3f s of CPU in 0.2 s\n", used);
  CHECK(used < 0.02);
  sinter_session_destroy(s);
}

int main(void) {
  test_without_session();
  test_thread_counts();
  test_nested_runs_serially();
  test_default_threads();
  test_concurrent_sessions();
  test_session_moves_between_threads();
  test_idle_pool_sleeps();
  printf("threadpool_test: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
