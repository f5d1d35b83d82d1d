/* Names and sizes of dtypes and statuses, for messages and buffer sizes. */
#include "internal.h"

int sinter_dtype_is_valid(int32_t dtype) {
  return dtype >= (int32_t)SINTER_F32 && dtype <= (int32_t)SINTER_BOOL;
}

const char *sinter_dtype_name(sinter_dtype dtype) {
  switch (dtype) {
  case SINTER_F32: return "f32";
  case SINTER_F16: return "f16";
  case SINTER_BF16: return "bf16";
  case SINTER_F64: return "f64";
  case SINTER_I8: return "i8";
  case SINTER_U8: return "u8";
  case SINTER_I16: return "i16";
  case SINTER_I32: return "i32";
  case SINTER_I64: return "i64";
  case SINTER_BOOL: return "bool";
  }
  return "unknown";
}

size_t sinter_dtype_size(sinter_dtype dtype) {
  switch (dtype) {
  case SINTER_F64:
  case SINTER_I64:
    return 8;
  case SINTER_F32:
  case SINTER_I32:
    return 4;
  case SINTER_F16:
  case SINTER_BF16:
  case SINTER_I16:
    return 2;
  case SINTER_I8:
  case SINTER_U8:
  case SINTER_BOOL:
    return 1;
  }
  return 0;
}

const char *sinter_status_string(sinter_status status) {
  switch (status) {
  case SINTER_OK: return "ok";
  case SINTER_INVALID_ARGUMENT: return "invalid argument";
  case SINTER_OUT_OF_MEMORY: return "out of memory";
  case SINTER_UNAVAILABLE: return "unavailable";
  case SINTER_INTERNAL: return "internal error";
  }
  return "unknown status";
}
