/* Names and sizes of dtypes and statuses, for messages and buffer sizes. */
#include "internal.h"

int sinter_dtype_is_valid(int32_t dtype) {
  return dtype >= (int32_t)SINTER_F32 && dtype <= (int32_t)SINTER_F4E2M1;
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
  case SINTER_U16: return "u16";
  case SINTER_U32: return "u32";
  case SINTER_U64: return "u64";
  case SINTER_F8E4M3FN: return "f8e4m3fn";
  case SINTER_F8E4M3FNUZ: return "f8e4m3fnuz";
  case SINTER_F8E5M2: return "f8e5m2";
  case SINTER_F8E5M2FNUZ: return "f8e5m2fnuz";
  case SINTER_F8E8M0: return "f8e8m0";
  case SINTER_I4: return "i4";
  case SINTER_U4: return "u4";
  case SINTER_I2: return "i2";
  case SINTER_U2: return "u2";
  case SINTER_F4E2M1: return "f4e2m1";
  }
  return "unknown";
}

size_t sinter_dtype_size(sinter_dtype dtype) {
  switch (dtype) {
  case SINTER_F64:
  case SINTER_I64:
  case SINTER_U64:
    return 8;
  case SINTER_F32:
  case SINTER_I32:
  case SINTER_U32:
    return 4;
  case SINTER_F16:
  case SINTER_BF16:
  case SINTER_I16:
  case SINTER_U16:
    return 2;
  case SINTER_I8:
  case SINTER_U8:
  case SINTER_BOOL:
  case SINTER_F8E4M3FN:
  case SINTER_F8E4M3FNUZ:
  case SINTER_F8E5M2:
  case SINTER_F8E5M2FNUZ:
  case SINTER_F8E8M0:
  case SINTER_I4:
  case SINTER_U4:
  case SINTER_I2:
  case SINTER_U2:
  case SINTER_F4E2M1:
    return 1; /* sub-byte types are unpacked, one element per byte */
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
