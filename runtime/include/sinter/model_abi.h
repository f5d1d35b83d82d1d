/* The layout of a compiled model, shared by the compiler (which emits it) and
 * the runtime (which reads it). Not for applications: they see sinter_model as
 * an opaque handle. Bump SINTER_MODEL_ABI_VERSION on any change. */
#ifndef SINTER_MODEL_ABI_H
#define SINTER_MODEL_ABI_H

#include <stdint.h>

#define SINTER_MODEL_ABI_VERSION 1u
#define SINTER_MODEL_MAGIC 0x53494e54u /* "SINT" */

#ifdef __cplusplus
extern "C" {
#endif

/* One model input or output. `dtype` is a sinter_dtype. */
typedef struct sinter_tensor_desc {
  const char *name;
  int32_t dtype;
  int32_t rank;
  const int64_t *dims;
} sinter_tensor_desc;

/* Runs the model: one data pointer per input and per output, in order, and a
 * 64-byte aligned workspace of `workspace_size` bytes. */
typedef void (*sinter_invoke_fn)(void *const *inputs, void *const *outputs,
                                 void *workspace);

/* One chunk of a parallel loop: iterations [begin, end) of it. */
typedef void (*sinter_parallel_body)(void *ctx, int64_t begin, int64_t end);

/* Called by compiled code (see the sinter-outline-parallel pass): runs
 * body(ctx, begin, end) over [0, count) in contiguous chunks, one per thread of
 * the pool of the session whose sinter_session_run is on the calling thread
 * (chunk sizes differ by at most one), and returns when all are done. With no
 * such session, a session of one thread, count < 2, or from inside a chunk, it
 * calls body(ctx, 0, count) itself. Compiled code references it weakly, so a
 * model without parallel loops does not need it, and one with them still loads
 * (and runs serially) in a process that does not export it. */
void sinter_rt_parallel_for(sinter_parallel_body body, void *ctx, int64_t count);

struct sinter_model {
  uint32_t magic;
  uint32_t abi_version;
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const sinter_tensor_desc *inputs;
  const sinter_tensor_desc *outputs;
  uint64_t workspace_size;
  sinter_invoke_fn invoke;
};

#ifdef __cplusplus
}
#endif

#endif /* SINTER_MODEL_ABI_H */
