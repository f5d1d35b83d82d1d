/* Tests libsinter_rt's C API against a hand-written model that adds two f32 [2,3] tensors. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether `haystack` contains `needle`, for checking messages loosely. */
static int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* ---- The model: sum = a + b, staged through the workspace. ---- */

enum { N = 6 };
static const int64_t kDims[2] = {2, 3};
static const sinter_tensor_desc kInputs[2] = {
    {"a", SINTER_F32, 2, kDims},
    {"b", SINTER_F32, 2, kDims},
};
static const sinter_tensor_desc kOutputs[1] = {{"sum", SINTER_F32, 2, kDims}};

static int invoke_count;
static void *last_workspace;

static void add_invoke(void *const *inputs, void *const *outputs,
                       void *workspace) {
  const float *a = inputs[0];
  const float *b = inputs[1];
  float *scratch = workspace;
  float *sum = outputs[0];
  ++invoke_count;
  last_workspace = workspace;
  for (int i = 0; i < N; ++i)
    scratch[i] = a[i];
  for (int i = 0; i < N; ++i)
    scratch[i] += b[i];
  memcpy(sum, scratch, sizeof(float) * N);
}

static const struct sinter_model kAddModel = {
    SINTER_MODEL_MAGIC, SINTER_MODEL_ABI_VERSION, "add", 2, 1, kInputs,
    kOutputs, sizeof(float) * N, add_invoke};

/* ---- Helpers for one run. ---- */

typedef struct run_data {
  float a[N], b[N], sum[N];
  int64_t dims_a[2], dims_b[2], dims_sum[2];
  sinter_tensor inputs[2];
  sinter_tensor outputs[1];
} run_data;

/* A well-formed run: a = 0..5, b = 10 * (0..5), sum poisoned with -1. */
static void make_run(run_data *r) {
  for (int i = 0; i < N; ++i) {
    r->a[i] = (float)i;
    r->b[i] = 10.0f * (float)i;
    r->sum[i] = -1.0f;
  }
  memcpy(r->dims_a, kDims, sizeof(kDims));
  memcpy(r->dims_b, kDims, sizeof(kDims));
  memcpy(r->dims_sum, kDims, sizeof(kDims));
  sinter_tensor a = {r->a, SINTER_F32, 2, r->dims_a};
  sinter_tensor b = {r->b, SINTER_F32, 2, r->dims_b};
  sinter_tensor sum = {r->sum, SINTER_F32, 2, r->dims_sum};
  r->inputs[0] = a;
  r->inputs[1] = b;
  r->outputs[0] = sum;
}

static sinter_status run(sinter_session *s, run_data *r) {
  return sinter_session_run(s, r->inputs, 2, r->outputs, 1);
}

static int sum_is_correct(const run_data *r) {
  for (int i = 0; i < N; ++i)
    if (r->sum[i] != 11.0f * (float)i)
      return 0;
  return 1;
}

static int sum_untouched(const run_data *r) {
  for (int i = 0; i < N; ++i)
    if (r->sum[i] != -1.0f)
      return 0;
  return 1;
}

/* ---- Tests. ---- */

static void test_options_and_names(void) {
  sinter_session_options o;
  memset(&o, 0x5a, sizeof(o));
  sinter_session_options_init(&o);
  CHECK(o.num_threads == 0);
  CHECK(o.device == -1);
  CHECK(o.workspace == NULL && o.workspace_size == 0);
  CHECK(o.error == NULL && o.error_size == 0);
  sinter_session_options_init(NULL);

  CHECK(strcmp(sinter_dtype_name(SINTER_F32), "f32") == 0);
  CHECK(strcmp(sinter_dtype_name(SINTER_BF16), "bf16") == 0);
  CHECK(strcmp(sinter_dtype_name((sinter_dtype)99), "unknown") == 0);
  CHECK(sinter_dtype_size(SINTER_F64) == 8 && sinter_dtype_size(SINTER_F16) == 2);
  CHECK(sinter_dtype_size(SINTER_BOOL) == 1 && sinter_dtype_size(SINTER_I32) == 4);
  CHECK(sinter_dtype_size((sinter_dtype)99) == 0);
  /* The unsigned types appended after bool keep the first ten's values. */
  CHECK(SINTER_BOOL == 9 && SINTER_U16 == 10 && SINTER_U32 == 11 &&
        SINTER_U64 == 12);
  CHECK(strcmp(sinter_dtype_name(SINTER_U16), "u16") == 0);
  CHECK(strcmp(sinter_dtype_name(SINTER_U32), "u32") == 0);
  CHECK(strcmp(sinter_dtype_name(SINTER_U64), "u64") == 0);
  CHECK(sinter_dtype_size(SINTER_U16) == 2 && sinter_dtype_size(SINTER_U32) == 4 &&
        sinter_dtype_size(SINTER_U64) == 8);
  CHECK(strcmp(sinter_status_string(SINTER_OK), "ok") == 0);
  CHECK(contains(sinter_status_string(SINTER_UNAVAILABLE), "unavailable"));
}

static void test_accessors(void) {
  const sinter_model *m = &kAddModel;
  CHECK(strcmp(sinter_model_name(m), "add") == 0);
  CHECK(sinter_model_num_inputs(m) == 2);
  CHECK(sinter_model_num_outputs(m) == 1);
  CHECK(sinter_model_workspace_size(m) == sizeof(float) * N);
  CHECK(strcmp(sinter_model_input_name(m, 0), "a") == 0);
  CHECK(strcmp(sinter_model_input_name(m, 1), "b") == 0);
  CHECK(strcmp(sinter_model_output_name(m, 0), "sum") == 0);
  CHECK(sinter_model_input_name(m, 2) == NULL);
  CHECK(sinter_model_input_name(m, -1) == NULL);
  CHECK(sinter_model_output_name(m, 1) == NULL);

  sinter_tensor in = sinter_model_input(m, 1);
  CHECK(in.data == NULL && in.dtype == SINTER_F32 && in.rank == 2);
  CHECK(in.dims != NULL && in.dims[0] == 2 && in.dims[1] == 3);
  sinter_tensor out = sinter_model_output(m, 0);
  CHECK(out.rank == 2 && out.dims[1] == 3);
  CHECK(sinter_model_input(m, 2).rank == -1);
  CHECK(sinter_model_input(m, -5).rank == -1);
  CHECK(sinter_model_output(m, 1).rank == -1);

  /* NULL and unrecognized models answer "nothing", never crash. */
  CHECK(sinter_model_num_inputs(NULL) == 0);
  CHECK(sinter_model_num_outputs(NULL) == 0);
  CHECK(sinter_model_input(NULL, 0).rank == -1);
  CHECK(sinter_model_output_name(NULL, 0) == NULL);
  CHECK(sinter_model_workspace_size(NULL) == 0);
  CHECK(strcmp(sinter_model_name(NULL), "") == 0);
  struct sinter_model bad = kAddModel;
  bad.magic = 0x12345678u;
  CHECK(sinter_model_num_inputs(&bad) == 0);
  CHECK(sinter_model_input_name(&bad, 0) == NULL);
}

static void test_create_and_run(void) {
  sinter_session *s = NULL;
  CHECK(sinter_session_create(&kAddModel, NULL, &s) == SINTER_OK);
  CHECK(s != NULL);
  if (s == NULL)
    return;
  CHECK(strcmp(sinter_session_error(s), "") == 0);

  run_data r;
  make_run(&r);
  invoke_count = 0;
  CHECK(run(s, &r) == SINTER_OK);
  CHECK(invoke_count == 1);
  CHECK(sum_is_correct(&r));
  CHECK(last_workspace != NULL && (uintptr_t)last_workspace % 64 == 0);
  /* A second run on the same session gives the same answer. */
  make_run(&r);
  CHECK(run(s, &r) == SINTER_OK && sum_is_correct(&r));
  sinter_session_destroy(s);
}

/* Runs `r` on `s`, expecting a refusal whose message contains `what`, with
 * the model not invoked and the output untouched. */
static void expect_refused(sinter_session *s, run_data *r, int32_t num_inputs,
                           int32_t num_outputs, const char *what,
                           const char *what2) {
  invoke_count = 0;
  sinter_status st =
      sinter_session_run(s, r->inputs, num_inputs, r->outputs, num_outputs);
  CHECK(st == SINTER_INVALID_ARGUMENT);
  CHECK(invoke_count == 0);
  CHECK(sum_untouched(r));
  const char *err = sinter_session_error(s);
  if (!contains(err, what) || (what2 && !contains(err, what2))) {
    ++failed;
    fprintf(stderr, "FAILED: message \"%s\" lacks \"%s\"%s%s\n", err, what,
            what2 ? " / " : "", what2 ? what2 : "");
  } else {
    ++passed;
  }
}

static void test_refused_runs(void) {
  sinter_session *s = NULL;
  CHECK(sinter_session_create(&kAddModel, NULL, &s) == SINTER_OK);
  if (s == NULL)
    return;
  run_data r;

  make_run(&r);
  r.inputs[1].dtype = SINTER_I64;
  expect_refused(s, &r, 2, 1, "input 'b' (#1)", "expected f32, got i64");

  make_run(&r);
  r.inputs[0].rank = 3;
  expect_refused(s, &r, 2, 1, "input 'a' (#0)", "rank");

  make_run(&r);
  r.dims_b[1] = 4;
  expect_refused(s, &r, 2, 1, "input 'b' (#1)", "expected dims [2,3], got [2,4]");

  make_run(&r);
  r.inputs[0].data = NULL;
  expect_refused(s, &r, 2, 1, "input 'a' (#0)", "NULL");

  make_run(&r);
  r.inputs[1].dims = NULL;
  expect_refused(s, &r, 2, 1, "input 'b' (#1)", "dims is NULL");

  make_run(&r);
  r.outputs[0].dtype = SINTER_F16;
  expect_refused(s, &r, 2, 1, "output 'sum' (#0)", "expected f32, got f16");

  make_run(&r);
  r.dims_sum[0] = 1;
  expect_refused(s, &r, 2, 1, "output 'sum' (#0)", "got [1,3]");

  make_run(&r);
  r.inputs[0].dtype = (sinter_dtype)42;
  expect_refused(s, &r, 2, 1, "input 'a' (#0)", "dtype 42");

  make_run(&r);
  expect_refused(s, &r, 1, 1, "expected 2 inputs, got 1", NULL);
  make_run(&r);
  expect_refused(s, &r, 2, 0, "expected 1 outputs, got 0", NULL);
  make_run(&r);
  expect_refused(s, &r, -1, 1, "expected 2 inputs, got -1", NULL);

  make_run(&r);
  invoke_count = 0;
  CHECK(sinter_session_run(s, NULL, 2, r.outputs, 1) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(sinter_session_error(s), "inputs is NULL"));
  CHECK(sinter_session_run(s, r.inputs, 2, NULL, 1) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(sinter_session_error(s), "outputs is NULL"));
  CHECK(invoke_count == 0 && sum_untouched(&r));

  /* After refusals the session still runs, and the error is cleared. */
  make_run(&r);
  CHECK(run(s, &r) == SINTER_OK && sum_is_correct(&r));
  CHECK(strcmp(sinter_session_error(s), "") == 0);

  CHECK(sinter_session_run(NULL, r.inputs, 2, r.outputs, 1) ==
        SINTER_INVALID_ARGUMENT);
  CHECK(sinter_session_error(NULL) != NULL);
  sinter_session_destroy(s);
}

static void test_create_refusals(void) {
  char err[256];
  sinter_session_options o;
  sinter_session *s = (sinter_session *)&o; /* must be reset to NULL */

  sinter_session_options_init(&o);
  o.error = err;
  o.error_size = sizeof(err);
  o.device = 0;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_UNAVAILABLE);
  CHECK(s == NULL);
  CHECK(contains(err, "CUDA device 0: this model has no GPU code"));

  sinter_session_options_init(&o);
  o.error = err;
  o.error_size = sizeof(err);
  o.num_threads = -2;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(err, "num_threads"));

  CHECK(sinter_session_create(NULL, NULL, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(s == NULL);
  CHECK(sinter_session_create(&kAddModel, NULL, NULL) ==
        SINTER_INVALID_ARGUMENT);

  struct sinter_model bad = kAddModel;
  bad.magic = 0;
  sinter_session_options_init(&o);
  o.error = err;
  o.error_size = sizeof(err);
  CHECK(sinter_session_create(&bad, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(err, "not a Sinter model"));
  bad = kAddModel;
  bad.abi_version = 99;
  CHECK(sinter_session_create(&bad, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(err, "ABI version 99"));
  bad = kAddModel;
  bad.invoke = NULL;
  CHECK(sinter_session_create(&bad, &o, &s) == SINTER_INVALID_ARGUMENT);
  bad = kAddModel;
  bad.inputs = NULL;
  CHECK(sinter_session_create(&bad, &o, &s) == SINTER_INVALID_ARGUMENT);
  static const int64_t negative[2] = {2, -3};
  static const sinter_tensor_desc bad_inputs[2] = {
      {"a", SINTER_F32, 2, negative}, {"b", SINTER_F32, 2, kDims}};
  bad = kAddModel;
  bad.inputs = bad_inputs;
  CHECK(sinter_session_create(&bad, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(contains(err, "input 'a'"));

  /* A tiny error buffer cuts the message but stays terminated. */
  char tiny[8];
  memset(tiny, 'x', sizeof(tiny));
  o.error = tiny;
  o.error_size = sizeof(tiny);
  o.device = 3;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_UNAVAILABLE);
  CHECK(tiny[sizeof(tiny) - 1] == '\0' && strncmp(tiny, "CUDA de", 7) == 0);

  sinter_session_destroy(NULL);
  CHECK(1);
}

/* Caller-owned workspace: 64-byte aligned memory of at least the model's size. */
static void test_caller_workspace(void) {
  /* 64-aligned start inside a static buffer, without relying on aligned_alloc. */
  static unsigned char buffer[256];
  unsigned char *aligned =
      buffer + ((64 - (uintptr_t)buffer % 64) % 64);
  sinter_session_options o;
  sinter_session *s = NULL;
  char err[256];

  sinter_session_options_init(&o);
  o.error = err;
  o.error_size = sizeof(err);
  o.workspace = aligned;
  o.workspace_size = 8;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(s == NULL && contains(err, "too small"));

  o.workspace = aligned + 4;
  o.workspace_size = 128;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_INVALID_ARGUMENT);
  CHECK(s == NULL && contains(err, "aligned"));

  o.workspace = aligned;
  o.workspace_size = sizeof(float) * N;
  CHECK(sinter_session_create(&kAddModel, &o, &s) == SINTER_OK);
  CHECK(strcmp(err, "") == 0);
  if (s == NULL)
    return;
  run_data r;
  make_run(&r);
  CHECK(run(s, &r) == SINTER_OK && sum_is_correct(&r));
  CHECK(last_workspace == aligned);
  sinter_session_destroy(s); /* must not free the caller's memory */
}

int main(void) {
  test_options_and_names();
  test_accessors();
  test_create_and_run();
  test_refused_runs();
  test_create_refusals();
  test_caller_workspace();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
