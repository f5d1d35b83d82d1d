/* The sinter_model_* accessors and the checks a session makes of a model. */
#include <inttypes.h>

#include "internal.h"

int sinter_model_is_recognized(const sinter_model *m) {
  return m != NULL && m->magic == SINTER_MODEL_MAGIC &&
         m->abi_version == SINTER_MODEL_ABI_VERSION;
}

/* The descriptor of input/output `i`, or NULL when `m` or `i` is unusable. */
static const sinter_tensor_desc *find_desc(const sinter_model *m, int32_t i,
                                           int output) {
  if (!sinter_model_is_recognized(m) || i < 0)
    return NULL;
  int32_t count = output ? m->num_outputs : m->num_inputs;
  const sinter_tensor_desc *descs = output ? m->outputs : m->inputs;
  if (descs == NULL || i >= count)
    return NULL;
  return &descs[i];
}

static sinter_tensor desc_to_tensor(const sinter_tensor_desc *d) {
  sinter_tensor t;
  t.data = NULL;
  t.dtype = SINTER_F32;
  t.rank = -1;
  t.dims = NULL;
  if (d != NULL) {
    t.dtype = (sinter_dtype)d->dtype;
    t.rank = d->rank;
    t.dims = d->dims;
  }
  return t;
}

const char *sinter_model_name(const sinter_model *m) {
  if (!sinter_model_is_recognized(m) || m->name == NULL)
    return "";
  return m->name;
}

int32_t sinter_model_num_inputs(const sinter_model *m) {
  if (!sinter_model_is_recognized(m) || m->num_inputs < 0)
    return 0;
  return m->num_inputs;
}

int32_t sinter_model_num_outputs(const sinter_model *m) {
  if (!sinter_model_is_recognized(m) || m->num_outputs < 0)
    return 0;
  return m->num_outputs;
}

sinter_tensor sinter_model_input(const sinter_model *m, int32_t i) {
  return desc_to_tensor(find_desc(m, i, 0));
}

sinter_tensor sinter_model_output(const sinter_model *m, int32_t i) {
  return desc_to_tensor(find_desc(m, i, 1));
}

const char *sinter_model_input_name(const sinter_model *m, int32_t i) {
  const sinter_tensor_desc *d = find_desc(m, i, 0);
  return d ? d->name : NULL;
}

const char *sinter_model_output_name(const sinter_model *m, int32_t i) {
  const sinter_tensor_desc *d = find_desc(m, i, 1);
  return d ? d->name : NULL;
}

size_t sinter_model_workspace_size(const sinter_model *m) {
  if (!sinter_model_is_recognized(m) || m->workspace_size > SIZE_MAX)
    return 0;
  return (size_t)m->workspace_size;
}

int sinter_desc_bytes(const sinter_tensor_desc *desc, size_t *bytes) {
  size_t total = sinter_dtype_size((sinter_dtype)desc->dtype);
  for (int32_t d = 0; d < desc->rank; ++d) {
    int64_t dim = desc->dims[d];
    if (dim < 0 || (uint64_t)dim > SIZE_MAX)
      return 0;
    if (dim != 0 && total > SIZE_MAX / (size_t)dim)
      return 0;
    total *= (size_t)dim;
  }
  *bytes = total;
  return 1;
}

static int validate_descs(const sinter_tensor_desc *descs, int32_t count,
                          const char *role, sinter_msg *msg) {
  if (count < 0) {
    sinter_msg_printf(msg, "invalid model: %" PRId32 " %ss", count, role);
    return 0;
  }
  if (count > 0 && descs == NULL) {
    sinter_msg_printf(msg, "invalid model: %ss are NULL", role);
    return 0;
  }
  for (int32_t i = 0; i < count; ++i) {
    const sinter_tensor_desc *d = &descs[i];
    if (d->name == NULL) {
      sinter_msg_printf(msg, "invalid model: %s #%" PRId32 " has no name",
                        role, i);
      return 0;
    }
    const char *problem = NULL;
    size_t bytes = 0;
    if (!sinter_dtype_is_valid(d->dtype))
      problem = "unknown dtype";
    else if (d->rank < 0)
      problem = "negative rank";
    else if (d->rank > 0 && d->dims == NULL)
      problem = "no dims";
    else if (!sinter_desc_bytes(d, &bytes))
      problem = "negative dims or a size that overflows";
    if (problem != NULL) {
      sinter_msg_printf(msg, "invalid model: %s '%s' (#%" PRId32 "): %s", role,
                        d->name, i, problem);
      return 0;
    }
  }
  return 1;
}

int sinter_model_validate(const sinter_model *m, sinter_msg *msg) {
  if (m == NULL) {
    sinter_msg_printf(msg, "model is NULL");
    return 0;
  }
  if (m->magic != SINTER_MODEL_MAGIC) {
    sinter_msg_printf(msg, "not a Sinter model (magic 0x%08" PRIx32 ")",
                      m->magic);
    return 0;
  }
  if (m->abi_version != SINTER_MODEL_ABI_VERSION) {
    sinter_msg_printf(msg,
                      "model ABI version %" PRIu32 ", this runtime reads %u",
                      m->abi_version, SINTER_MODEL_ABI_VERSION);
    return 0;
  }
  if (m->invoke == NULL) {
    sinter_msg_printf(msg, "invalid model: no invoke function");
    return 0;
  }
  if (m->workspace_size > SIZE_MAX) {
    sinter_msg_printf(msg, "model workspace of %" PRIu64 " bytes is too large",
                      m->workspace_size);
    return 0;
  }
  return validate_descs(m->inputs, m->num_inputs, "input", msg) &&
         validate_descs(m->outputs, m->num_outputs, "output", msg);
}
