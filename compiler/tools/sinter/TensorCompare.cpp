// Host tensors: element access, f16/bf16 decoding and tolerance comparison.
#include "TensorFileCommon.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace sinter {
using namespace detail;
namespace {

double excessOf(double e, double a, double atol, double rtol, double &absErr,
                double &relErr) {
  bool eNan = std::isnan(e), aNan = std::isnan(a);
  if ((eNan && aNan) || (!eNan && !aNan && e == a)) {
    absErr = relErr = 0;
    return -std::numeric_limits<double>::infinity();
  }
  if (eNan || aNan || std::isinf(e) || std::isinf(a)) {
    absErr = relErr = std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::infinity();
  }
  absErr = std::fabs(a - e);
  relErr = e != 0 ? absErr / std::fabs(e)
                  : std::numeric_limits<double>::infinity();
  return absErr - (atol + rtol * std::fabs(e));
}

} // namespace

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

sinter_tensor HostTensor::view() {
  sinter_tensor t;
  t.data = bytes.data();
  t.dtype = dtype;
  t.rank = int32_t(dims.size());
  t.dims = dims.data();
  return t;
}

std::string formatDims(const std::vector<int64_t> &dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

float halfToFloat(uint16_t h) {
  float sign = (h & 0x8000) ? -1.0f : 1.0f;
  int exp = (h >> 10) & 0x1f;
  int mant = h & 0x3ff;
  if (exp == 0)
    return sign * std::ldexp(float(mant), -24);
  if (exp == 31)
    return mant ? std::numeric_limits<float>::quiet_NaN()
                : sign * std::numeric_limits<float>::infinity();
  return sign * std::ldexp(float(mant + 1024), exp - 25);
}

/// The value of an 8-bit float's bit pattern. E4M3FN has no infinity and one
/// NaN per sign (S.1111.111); the FNUZ formats one NaN (0x80), no -0 and a
/// bias one larger; E5M2 is IEEE-like; E8M0 is an unsigned power of two.
static double float8ToDouble(uint8_t bits, sinter_dtype dtype) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (dtype == SINTER_F8E8M0)
    return bits == 0xFF ? nan : std::ldexp(1.0, int(bits) - 127);
  int mantBits = dtype == SINTER_F8E4M3FN || dtype == SINTER_F8E4M3FNUZ ? 3 : 2;
  bool fnuz = dtype == SINTER_F8E4M3FNUZ || dtype == SINTER_F8E5M2FNUZ;
  int bias = (mantBits == 3 ? 7 : 15) + (fnuz ? 1 : 0);
  if (fnuz && bits == 0x80)
    return nan;
  int exp = (bits & 0x7F) >> mantBits, mant = bits & ((1 << mantBits) - 1);
  double sign = bits & 0x80 ? -1.0 : 1.0;
  if (dtype == SINTER_F8E4M3FN && exp == 15 && mant == 7)
    return nan;
  if (dtype == SINTER_F8E5M2 && exp == 31)
    return mant ? nan : sign * std::numeric_limits<double>::infinity();
  if (exp == 0)
    return sign * std::ldexp(double(mant), 1 - bias - mantBits);
  return sign * std::ldexp(double(mant + (1 << mantBits)), exp - bias - mantBits);
}

/// The value of a FLOAT4E2M1 bit pattern (sign in bit 3): no infinities, no
/// NaN, bias 1, one mantissa bit.
static double float4ToDouble(uint8_t bits) {
  double sign = bits & 0x8 ? -1.0 : 1.0;
  int exp = (bits >> 1) & 0x3, mant = bits & 0x1;
  if (exp == 0)
    return sign * 0.5 * mant;
  return sign * std::ldexp(1.0 + 0.5 * mant, exp - 1);
}

float bfloat16ToFloat(uint16_t bits) {
  uint32_t u = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

double elementAsDouble(const HostTensor &t, int64_t i) {
  const uint8_t *p = t.bytes.data() + size_t(i) * sinter_dtype_size(t.dtype);
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (t.dtype) {
  case SINTER_F32: return load(float());
  case SINTER_F64: return load(double());
  case SINTER_F16: return halfToFloat(load(uint16_t()));
  case SINTER_BF16: return bfloat16ToFloat(load(uint16_t()));
  case SINTER_I8: return load(int8_t());
  case SINTER_U8: return load(uint8_t());
  case SINTER_I16: return load(int16_t());
  case SINTER_I32: return load(int32_t());
  case SINTER_I64: return double(load(int64_t()));
  case SINTER_BOOL: return load(uint8_t()) != 0;
  case SINTER_U16: return load(uint16_t());
  case SINTER_U32: return load(uint32_t());
  case SINTER_U64: return double(load(uint64_t()));
  case SINTER_F8E4M3FN:
  case SINTER_F8E4M3FNUZ:
  case SINTER_F8E5M2:
  case SINTER_F8E5M2FNUZ:
  case SINTER_F8E8M0: return float8ToDouble(load(uint8_t()), t.dtype);
  case SINTER_I4:
  case SINTER_I2: return load(int8_t());
  case SINTER_U4:
  case SINTER_U2: return load(uint8_t());
  case SINTER_F4E2M1: return float4ToDouble(load(uint8_t()));
  }
  return 0;
}

CompareResult compareTensors(const HostTensor &expected,
                             const HostTensor &actual, double atol,
                             double rtol) {
  CompareResult r;
  if (expected.dtype != actual.dtype) {
    r.error = std::string("dtype differs: expected ") +
              sinter_dtype_name(expected.dtype) + ", got " +
              sinter_dtype_name(actual.dtype);
    return r;
  }
  if (expected.dims != actual.dims) {
    r.error = "shape differs: expected " + formatDims(expected.dims) +
              ", got " + formatDims(actual.dims);
    return r;
  }
  uint64_t need;
  std::string problem;
  if (!shapeBytes(expected.dims, expected.dtype, need, problem) ||
      expected.bytes.size() != need || actual.bytes.size() != need) {
    r.error = problem.empty() ? "bytes disagree with the shape" : problem;
    return r;
  }
  int64_t count = int64_t(need / sinter_dtype_size(expected.dtype));
  // The worst element is the one furthest past its tolerance; when every
  // element is close, the one with the largest |a - e|.
  double worstExcess = 0, worstAbs = -1;
  int64_t worstMismatch = -1, worstClose = -1;
  for (int64_t i = 0; i < count; ++i) {
    double absErr, relErr;
    double excess = excessOf(elementAsDouble(expected, i),
                             elementAsDouble(actual, i), atol, rtol, absErr,
                             relErr);
    r.maxAbsError = std::fmax(r.maxAbsError, absErr);
    r.maxRelError = std::fmax(r.maxRelError, relErr);
    if (excess > 0) {
      ++r.numMismatches;
      if (worstMismatch < 0 || excess > worstExcess) {
        worstExcess = excess;
        worstMismatch = i;
      }
    } else if (absErr > worstAbs) {
      worstAbs = absErr;
      worstClose = i;
    }
  }
  r.worstIndex = r.numMismatches ? worstMismatch : worstClose;
  r.allClose = r.numMismatches == 0;
  return r;
}

} // namespace sinter
