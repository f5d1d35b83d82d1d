/* Checks a caller's tensor against the model's descriptor, with a message saying what differs. */
#include <inttypes.h>

#include "internal.h"

static void begin(sinter_msg *msg, const sinter_tensor_desc *desc,
                  const char *role, int32_t index) {
  sinter_msg_printf(msg, "%s '%s' (#%" PRId32 "): ", role, desc->name, index);
}

int sinter_check_tensor(const sinter_tensor *t, const sinter_tensor_desc *desc,
                        const char *role, int32_t index, sinter_msg *msg) {
  if ((int32_t)t->dtype != desc->dtype) {
    begin(msg, desc, role, index);
    sinter_msg_printf(msg, "expected ");
    sinter_msg_dtype(msg, desc->dtype);
    sinter_msg_printf(msg, ", got ");
    sinter_msg_dtype(msg, (int32_t)t->dtype);
    return 0;
  }
  if (t->rank != desc->rank) {
    begin(msg, desc, role, index);
    sinter_msg_printf(msg, "expected rank %" PRId32 " ", desc->rank);
    sinter_msg_dims(msg, desc->dims, desc->rank);
    sinter_msg_printf(msg, ", got rank %" PRId32, t->rank);
    return 0;
  }
  if (desc->rank > 0 && t->dims == NULL) {
    begin(msg, desc, role, index);
    sinter_msg_printf(msg, "dims is NULL");
    return 0;
  }
  for (int32_t d = 0; d < desc->rank; ++d) {
    if (t->dims[d] != desc->dims[d]) {
      begin(msg, desc, role, index);
      sinter_msg_printf(msg, "expected dims ");
      sinter_msg_dims(msg, desc->dims, desc->rank);
      sinter_msg_printf(msg, ", got ");
      sinter_msg_dims(msg, t->dims, t->rank);
      return 0;
    }
  }
  /* A tensor with no elements has nothing to point at; NULL is fine there. */
  if (t->data == NULL) {
    int64_t elements = 1;
    for (int32_t d = 0; d < desc->rank; ++d)
      elements *= desc->dims[d];
    if (elements != 0) {
      begin(msg, desc, role, index);
      sinter_msg_printf(msg, "data is NULL");
      return 0;
    }
  }
  return 1;
}
