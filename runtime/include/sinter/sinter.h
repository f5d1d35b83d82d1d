/* Sinter's runtime C API: run a compiled model through a session.
 *
 * Ownership: a sinter_model is generated code in static storage; it is never
 * freed. A sinter_session is created by sinter_session_create and owned by the
 * caller until sinter_session_destroy. Tensors passed to sinter_session_run are
 * borrowed for the duration of the call: the caller owns their data, dims and
 * storage before and after.
 *
 * Thread safety: model functions are safe to call from any thread at any time.
 * A session is not: run one sinter_session_run at a time per session. Separate
 * sessions of the same model may run concurrently.
 */
#ifndef SINTER_SINTER_H
#define SINTER_SINTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sinter_status {
  SINTER_OK = 0,
  SINTER_INVALID_ARGUMENT,
  SINTER_OUT_OF_MEMORY,
  SINTER_UNAVAILABLE,
  SINTER_INTERNAL
} sinter_status;

typedef enum sinter_dtype {
  SINTER_F32,
  SINTER_F16,
  SINTER_BF16,
  SINTER_F64,
  SINTER_I8,
  SINTER_U8,
  SINTER_I16,
  SINTER_I32,
  SINTER_I64,
  SINTER_BOOL,
  /* Appended after the first ten, which keep their values (ABI). */
  SINTER_U16,
  SINTER_U32,
  SINTER_U64,
  /* 8-bit floats, one byte per element holding the format's bit pattern
     (ONNX FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0). */
  SINTER_F8E4M3FN,
  SINTER_F8E4M3FNUZ,
  SINTER_F8E5M2,
  SINTER_F8E5M2FNUZ,
  SINTER_F8E8M0,
  /* Sub-byte types, one element per byte (unpacked): INT4 and INT2 hold their
     value sign-extended in an int8_t (-8..7, -2..1); UINT4 and UINT2 hold it in
     a uint8_t (0..15, 0..3); FLOAT4E2M1 holds its bit pattern (sign in bit 3)
     in the low four bits of a uint8_t. Inputs out of range are undefined. */
  SINTER_I4,
  SINTER_U4,
  SINTER_I2,
  SINTER_U2,
  SINTER_F4E2M1
} sinter_dtype;

/* A dense, row-major tensor. `dims` points at `rank` dimensions. */
typedef struct sinter_tensor {
  void *data;
  sinter_dtype dtype;
  int32_t rank;
  const int64_t *dims;
} sinter_tensor;

/* A compiled model: generated, immutable, static storage. */
typedef struct sinter_model sinter_model;
/* The state one run needs: workspace, threads, device state. */
typedef struct sinter_session sinter_session;

typedef struct sinter_session_options {
  /* Threads a run may use; 0 means all cores. */
  int32_t num_threads;
  /* -1 runs on the CPU; n >= 0 on CUDA device n. */
  int32_t device;
  /* Caller-owned memory for intermediates, at least
   * sinter_model_workspace_size() bytes and 64-byte aligned; NULL lets the
   * session allocate (and free) its own once, at creation. */
  void *workspace;
  size_t workspace_size;
  /* Optional caller-owned buffer of `error_size` bytes that receives why
   * sinter_session_create failed (there is no session to ask then), always
   * NUL-terminated; NULL for none. Left "" on success. */
  char *error;
  size_t error_size;
} sinter_session_options;

/* Fills `options` with the defaults: all cores, CPU, session-owned workspace,
 * no error buffer. */
void sinter_session_options_init(sinter_session_options *options);

/* The model's name, as given to `sinter compile --name`. */
const char *sinter_model_name(const sinter_model *m);
int32_t sinter_model_num_inputs(const sinter_model *m);
int32_t sinter_model_num_outputs(const sinter_model *m);
/* The expected dtype, rank and dims of input/output `i`, with data == NULL.
 * The dims stay valid for the life of the program. Out of range `i` gives a
 * tensor of rank -1. */
sinter_tensor sinter_model_input(const sinter_model *m, int32_t i);
sinter_tensor sinter_model_output(const sinter_model *m, int32_t i);
/* Names live as long as the model; NULL when `i` is out of range. */
const char *sinter_model_input_name(const sinter_model *m, int32_t i);
const char *sinter_model_output_name(const sinter_model *m, int32_t i);
/* Bytes of workspace one session needs, fixed at compile time. */
size_t sinter_model_workspace_size(const sinter_model *m);

/* Creates a session for `m`. `options` may be NULL for the defaults. On
 * success `*out` owns a session to be destroyed with sinter_session_destroy;
 * on failure `*out` is NULL. */
sinter_status sinter_session_create(const sinter_model *m,
                                    const sinter_session_options *options,
                                    sinter_session **out);

/* Runs the model once. `inputs` are in the model's input order, `outputs` in
 * its output order, each with caller-owned data of exactly the model's dtype,
 * rank and dims (see sinter_model_input/output). Anything else is refused with
 * SINTER_INVALID_ARGUMENT and a message from sinter_session_error; nothing is
 * written then. A run allocates no memory. */
sinter_status sinter_session_run(sinter_session *s, const sinter_tensor *inputs,
                                 int32_t num_inputs, sinter_tensor *outputs,
                                 int32_t num_outputs);

/* Why the last sinter_session_run on `s` failed, human readable; "" when it
 * succeeded or none ran yet. Valid until the next call on `s`. For NULL, a
 * fixed string saying so. */
const char *sinter_session_error(const sinter_session *s);

/* Frees everything the session owns; NULL is ignored. */
void sinter_session_destroy(sinter_session *s);

/* Human-readable names, for messages. */
const char *sinter_status_string(sinter_status status);
const char *sinter_dtype_name(sinter_dtype dtype);
/* Bytes per element of `dtype` (1 for bool). */
size_t sinter_dtype_size(sinter_dtype dtype);

#ifdef __cplusplus
}
#endif

#endif /* SINTER_SINTER_H */
