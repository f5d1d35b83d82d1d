/* The bench's view of a compiled model: load LIB.so, bind inputs, run. Called through
 * ctypes so that Sinter and onnxruntime are timed in one process, interleaved. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sinter/sinter.h"

typedef struct bench_model {
  void *library;
  const sinter_model *model;
  sinter_session *session;
  int32_t num_inputs, num_outputs;
  sinter_tensor *inputs, *outputs;
  char error[512];
} bench_model;

void bench_close(bench_model *b) {
  if (b == NULL)
    return;
  sinter_session_destroy(b->session);
  if (b->outputs)
    for (int32_t i = 0; i < b->num_outputs; ++i)
      free(b->outputs[i].data);
  free(b->inputs);
  free(b->outputs);
  if (b->library)
    dlclose(b->library);
  free(b);
}

static size_t tensor_bytes(sinter_tensor t) {
  size_t n = sinter_dtype_size(t.dtype);
  for (int32_t d = 0; d < t.rank; ++d)
    n *= (size_t)t.dims[d];
  return n;
}

/* Loads `path` and creates a session of `threads` threads; NULL on failure with
 * the reason in `error`. Outputs are allocated here; inputs are bound later. */
bench_model *bench_open(const char *path, int threads, char *error, size_t error_size) {
  bench_model *b = calloc(1, sizeof(*b));
  if (b == NULL) {
    snprintf(error, error_size, "out of memory");
    return NULL;
  }
  b->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (b->library == NULL) {
    snprintf(error, error_size, "cannot load %s: %s", path, dlerror());
    bench_close(b);
    return NULL;
  }
  const sinter_model *(*accessor)(void) =
      (const sinter_model *(*)(void))dlsym(b->library, "sinter_loadable_model");
  if (accessor == NULL || (b->model = accessor()) == NULL) {
    snprintf(error, error_size, "%s: no sinter_loadable_model (compile with --emit=so)", path);
    bench_close(b);
    return NULL;
  }
  sinter_session_options options;
  sinter_session_options_init(&options);
  options.num_threads = threads;
  options.error = b->error;
  options.error_size = sizeof(b->error);
  if (sinter_session_create(b->model, &options, &b->session) != SINTER_OK) {
    snprintf(error, error_size, "%s: %s", path, b->error);
    bench_close(b);
    return NULL;
  }
  b->num_inputs = sinter_model_num_inputs(b->model);
  b->num_outputs = sinter_model_num_outputs(b->model);
  b->inputs = calloc((size_t)b->num_inputs + 1, sizeof(sinter_tensor));
  b->outputs = calloc((size_t)b->num_outputs + 1, sizeof(sinter_tensor));
  if (b->inputs == NULL || b->outputs == NULL) {
    snprintf(error, error_size, "out of memory");
    bench_close(b);
    return NULL;
  }
  for (int32_t i = 0; i < b->num_inputs; ++i)
    b->inputs[i] = sinter_model_input(b->model, i);
  for (int32_t i = 0; i < b->num_outputs; ++i) {
    b->outputs[i] = sinter_model_output(b->model, i);
    b->outputs[i].data = calloc(tensor_bytes(b->outputs[i]) + 1, 1);
    if (b->outputs[i].data == NULL) {
      snprintf(error, error_size, "out of memory");
      bench_close(b);
      return NULL;
    }
  }
  return b;
}

int bench_num_inputs(const bench_model *b) { return b->num_inputs; }
int bench_num_outputs(const bench_model *b) { return b->num_outputs; }
const char *bench_input_name(const bench_model *b, int i) {
  return sinter_model_input_name(b->model, i);
}
const char *bench_output_name(const bench_model *b, int i) {
  return sinter_model_output_name(b->model, i);
}
/* Output `i`'s data, dtype and shape (dims valid while the model is open). */
void *bench_output(const bench_model *b, int i) { return b->outputs[i].data; }
int bench_output_dtype(const bench_model *b, int i) { return (int)b->outputs[i].dtype; }
int bench_output_rank(const bench_model *b, int i) { return b->outputs[i].rank; }
const int64_t *bench_output_dims(const bench_model *b, int i) { return b->outputs[i].dims; }

/* Binds caller-owned `data` (the model's dtype and shape) as input `i`. */
void bench_set_input(bench_model *b, int i, void *data) { b->inputs[i].data = data; }

/* One run; 0 on success, else the status with the reason in bench_error. */
int bench_run(bench_model *b) {
  return (int)sinter_session_run(b->session, b->inputs, b->num_inputs, b->outputs,
                                 b->num_outputs);
}
const char *bench_error(const bench_model *b) { return sinter_session_error(b->session); }
