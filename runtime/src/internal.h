/* Private to libsinter_rt: the session's layout and the helpers its files share. */
#ifndef SINTER_RT_INTERNAL_H
#define SINTER_RT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "sinter/model_abi.h"
#include "sinter/sinter.h"

/* Room for one message; longer ones are cut, never overflowed. */
#define SINTER_ERROR_CAPACITY 512
/* What compiled code may assume of the workspace (see model_abi.h). */
#define SINTER_WORKSPACE_ALIGNMENT 64u
/* More threads than this is a mistake (a count of bytes, a negative number
 * cast), not a machine. */
#define SINTER_MAX_THREADS 4096

/* Worker threads that run parallel loops beside the thread calling
 * sinter_session_run (threadpool.c). */
typedef struct sinter_pool sinter_pool;

struct sinter_session {
  const struct sinter_model *model;
  /* Threads a run uses, the caller's included: the option, 0 resolved. */
  int32_t num_threads;
  /* NULL with one thread. */
  sinter_pool *pool;
  int32_t device;
  /* What invoke gets: the caller's memory or owned_workspace. */
  void *workspace;
  /* Freed by destroy; NULL when the caller gave the workspace. */
  void *owned_workspace;
  /* Bytes of each input/output, computed once at creation. */
  size_t *input_bytes;
  size_t *output_bytes;
  /* Filled by each run from the tensors, so a run allocates nothing. */
  void **input_ptrs;
  void **output_ptrs;
  char error[SINTER_ERROR_CAPACITY];
};

/* A bounded writer into a caller's buffer: appends until full, always
 * NUL-terminated (when cap > 0), so messages are cut rather than overflowed. */
typedef struct sinter_msg {
  char *buf;
  size_t cap;
  size_t len;
} sinter_msg;

void sinter_msg_init(sinter_msg *msg, char *buf, size_t cap);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sinter_msg_printf(sinter_msg *msg, const char *fmt, ...);
/* Appends "[1,3,224,224]". */
void sinter_msg_dims(sinter_msg *msg, const int64_t *dims, int32_t rank);
/* Appends the dtype's name, or "dtype N" for a value outside the enum. */
void sinter_msg_dtype(sinter_msg *msg, int32_t dtype);

/* Whether `dtype` is one of the sinter_dtype values. */
int sinter_dtype_is_valid(int32_t dtype);

/* Whether `m` is non-NULL with the expected magic and ABI version: the least
 * that every accessor checks before reading anything else. */
int sinter_model_is_recognized(const sinter_model *m);
/* Checks everything a session relies on (descriptors, dims, invoke). On
 * failure writes the reason to `msg` and returns 0. */
int sinter_model_validate(const sinter_model *m, sinter_msg *msg);
/* Bytes of one described tensor; 0 when it does not fit in size_t. */
int sinter_desc_bytes(const sinter_tensor_desc *desc, size_t *bytes);

/* Checks one caller tensor against its descriptor. `role` is "input" or
 * "output"; on failure writes "input 'x' (#0): ..." and returns 0. */
int sinter_check_tensor(const sinter_tensor *t, const sinter_tensor_desc *desc,
                        const char *role, int32_t index, sinter_msg *msg);

/* Cores this process may run on (its affinity mask), at least 1. */
int32_t sinter_available_cores(void);
/* A pool of num_threads - 1 workers; *out is NULL for num_threads <= 1. On
 * failure (a thread that cannot start) writes why to `msg`. */
sinter_status sinter_pool_create(int32_t num_threads, sinter_pool **out,
                                 sinter_msg *msg);
/* Stops and joins the workers; NULL is ignored. */
void sinter_pool_destroy(sinter_pool *p);
/* Makes `p` the pool that sinter_rt_parallel_for uses on this thread; returns
 * the previous one, for sinter_pool_leave. */
sinter_pool *sinter_pool_enter(sinter_pool *p);
void sinter_pool_leave(sinter_pool *previous);

#endif /* SINTER_RT_INTERNAL_H */
