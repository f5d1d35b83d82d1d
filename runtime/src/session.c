/* Sessions: creation (workspace, precomputed sizes), checked runs, errors, destruction. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void sinter_session_options_init(sinter_session_options *options) {
  if (options == NULL)
    return;
  memset(options, 0, sizeof(*options));
  options->num_threads = 0;
  options->device = -1;
  options->workspace = NULL;
  options->workspace_size = 0;
  options->error = NULL;
  options->error_size = 0;
}

void sinter_session_destroy(sinter_session *s) {
  if (s == NULL)
    return;
  sinter_pool_destroy(s->pool);
  free(s->owned_workspace);
  free(s->input_bytes);
  free(s->output_bytes);
  free(s->input_ptrs);
  free(s->output_ptrs);
  free(s);
}

/* calloc of `count` items, never of zero bytes, so that success is non-NULL. */
static void *alloc_array(int32_t count, size_t item) {
  return calloc(count > 0 ? (size_t)count : 1, item);
}

/* Checks the options against the model; on failure writes why to `msg`. */
static sinter_status check_options(const sinter_model *m,
                                   const sinter_session_options *o,
                                   sinter_msg *msg) {
  if (o->num_threads < 0 || o->num_threads > SINTER_MAX_THREADS) {
    sinter_msg_printf(msg, "num_threads is %" PRId32 ", must be 0 (all cores) "
                      "to %d", o->num_threads, SINTER_MAX_THREADS);
    return SINTER_INVALID_ARGUMENT;
  }
  if (o->device < -1) {
    sinter_msg_printf(msg, "device is %" PRId32 ", must be -1 (CPU) or >= 0",
                      o->device);
    return SINTER_INVALID_ARGUMENT;
  }
  if (o->device >= 0) {
    sinter_msg_printf(msg, "CUDA device %" PRId32 ": this model has no GPU code",
                      o->device);
    return SINTER_UNAVAILABLE;
  }
  if (o->workspace != NULL) {
    if (o->workspace_size < (size_t)m->workspace_size) {
      sinter_msg_printf(msg,
                        "workspace of %zu bytes is too small: the model needs "
                        "%" PRIu64,
                        o->workspace_size, m->workspace_size);
      return SINTER_INVALID_ARGUMENT;
    }
    if ((uintptr_t)o->workspace % SINTER_WORKSPACE_ALIGNMENT != 0) {
      sinter_msg_printf(msg, "workspace %p is not %u-byte aligned",
                        o->workspace, SINTER_WORKSPACE_ALIGNMENT);
      return SINTER_INVALID_ARGUMENT;
    }
  }
  return SINTER_OK;
}

/* The session's own workspace: 64-byte aligned, never zero bytes. */
static void *alloc_workspace(size_t size) {
  size_t align = SINTER_WORKSPACE_ALIGNMENT;
  if (size > SIZE_MAX - align)
    return NULL;
  /* aligned_alloc wants a multiple of the alignment. */
  size_t rounded = (size + align - 1) / align * align;
  return aligned_alloc(align, rounded ? rounded : align);
}

static sinter_status build_session(const sinter_model *m,
                                   const sinter_session_options *o,
                                   sinter_session *s, sinter_msg *msg) {
  s->model = m;
  s->num_threads = o->num_threads > 0 ? o->num_threads : sinter_available_cores();
  s->device = o->device;
  s->input_bytes = alloc_array(m->num_inputs, sizeof(size_t));
  s->output_bytes = alloc_array(m->num_outputs, sizeof(size_t));
  s->input_ptrs = alloc_array(m->num_inputs, sizeof(void *));
  s->output_ptrs = alloc_array(m->num_outputs, sizeof(void *));
  if (!s->input_bytes || !s->output_bytes || !s->input_ptrs || !s->output_ptrs) {
    sinter_msg_printf(msg, "out of memory creating a session");
    return SINTER_OUT_OF_MEMORY;
  }
  /* validate() has checked that every size fits. */
  for (int32_t i = 0; i < m->num_inputs; ++i)
    sinter_desc_bytes(&m->inputs[i], &s->input_bytes[i]);
  for (int32_t i = 0; i < m->num_outputs; ++i)
    sinter_desc_bytes(&m->outputs[i], &s->output_bytes[i]);

  sinter_status status = sinter_pool_create(s->num_threads, &s->pool, msg);
  if (status != SINTER_OK)
    return status;

  if (o->workspace != NULL) {
    s->workspace = o->workspace;
    return SINTER_OK;
  }
  s->owned_workspace = alloc_workspace((size_t)m->workspace_size);
  if (s->owned_workspace == NULL) {
    sinter_msg_printf(msg, "out of memory allocating a workspace of %" PRIu64
                      " bytes", m->workspace_size);
    return SINTER_OUT_OF_MEMORY;
  }
  s->workspace = s->owned_workspace;
  return SINTER_OK;
}

sinter_status sinter_session_create(const sinter_model *m,
                                    const sinter_session_options *options,
                                    sinter_session **out) {
  sinter_session_options defaults;
  sinter_session_options_init(&defaults);
  const sinter_session_options *o = options ? options : &defaults;

  /* There is no session to hold a message when creation fails, so it goes
   * to the caller's buffer, if any. */
  sinter_msg msg;
  sinter_msg_init(&msg, o->error, o->error ? o->error_size : 0);

  if (out == NULL) {
    sinter_msg_printf(&msg, "out is NULL");
    return SINTER_INVALID_ARGUMENT;
  }
  *out = NULL;
  if (!sinter_model_validate(m, &msg))
    return SINTER_INVALID_ARGUMENT;
  sinter_status status = check_options(m, o, &msg);
  if (status != SINTER_OK)
    return status;

  sinter_session *s = calloc(1, sizeof(*s));
  if (s == NULL) {
    sinter_msg_printf(&msg, "out of memory creating a session");
    return SINTER_OUT_OF_MEMORY;
  }
  status = build_session(m, o, s, &msg);
  if (status != SINTER_OK) {
    sinter_session_destroy(s);
    return status;
  }
  *out = s;
  return SINTER_OK;
}

/* Checks one side (inputs or outputs) of a run and gathers its data pointers. */
static int check_side(const sinter_tensor *tensors, int32_t count,
                      const sinter_tensor_desc *descs, int32_t expected,
                      const char *role, void **ptrs, sinter_msg *msg) {
  if (count != expected) {
    sinter_msg_printf(msg, "expected %" PRId32 " %ss, got %" PRId32, expected,
                      role, count);
    return 0;
  }
  if (count > 0 && tensors == NULL) {
    sinter_msg_printf(msg, "%ss is NULL", role);
    return 0;
  }
  for (int32_t i = 0; i < count; ++i) {
    if (!sinter_check_tensor(&tensors[i], &descs[i], role, i, msg))
      return 0;
    ptrs[i] = tensors[i].data;
  }
  return 1;
}

sinter_status sinter_session_run(sinter_session *s, const sinter_tensor *inputs,
                                 int32_t num_inputs, sinter_tensor *outputs,
                                 int32_t num_outputs) {
  if (s == NULL)
    return SINTER_INVALID_ARGUMENT;
  sinter_msg msg;
  sinter_msg_init(&msg, s->error, sizeof(s->error));
  const sinter_model *m = s->model;
  if (!check_side(inputs, num_inputs, m->inputs, m->num_inputs, "input",
                  s->input_ptrs, &msg) ||
      !check_side(outputs, num_outputs, m->outputs, m->num_outputs,
                  "output", s->output_ptrs, &msg))
    return SINTER_INVALID_ARGUMENT;
  sinter_pool *previous = sinter_pool_enter(s->pool);
  m->invoke(s->input_ptrs, s->output_ptrs, s->workspace);
  sinter_pool_leave(previous);
  return SINTER_OK;
}

const char *sinter_session_error(const sinter_session *s) {
  if (s == NULL)
    return "no session (NULL)";
  return s->error;
}
