/* Bounded message formatting for the session's fixed-size error buffer. */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

void sinter_msg_init(sinter_msg *msg, char *buf, size_t cap) {
  msg->buf = buf;
  msg->cap = cap;
  msg->len = 0;
  if (cap > 0)
    buf[0] = '\0';
}

void sinter_msg_printf(sinter_msg *msg, const char *fmt, ...) {
  if (msg->buf == NULL || msg->len + 1 >= msg->cap)
    return;
  size_t room = msg->cap - msg->len;
  va_list args;
  va_start(args, fmt);
  int n = vsnprintf(msg->buf + msg->len, room, fmt, args);
  va_end(args);
  if (n < 0)
    return;
  /* vsnprintf reports what it would have written; keep len inside the buffer. */
  msg->len += (size_t)n < room ? (size_t)n : room - 1;
}

void sinter_msg_dims(sinter_msg *msg, const int64_t *dims, int32_t rank) {
  sinter_msg_printf(msg, "[");
  for (int32_t i = 0; i < rank && msg->len + 1 < msg->cap; ++i)
    sinter_msg_printf(msg, i ? ",%" PRId64 : "%" PRId64, dims[i]);
  sinter_msg_printf(msg, "]");
}

void sinter_msg_dtype(sinter_msg *msg, int32_t dtype) {
  if (sinter_dtype_is_valid(dtype))
    sinter_msg_printf(msg, "%s", sinter_dtype_name((sinter_dtype)dtype));
  else
    sinter_msg_printf(msg, "dtype %" PRId32, dtype);
}
