// Tests compareTensors' tolerance semantics and the f16/bf16 decoding it relies on.
#include "TensorIO.h"
#include "TestUtil.h"

#include <cmath>
#include <limits>

using namespace sinter;
using namespace sinter::test;

namespace {

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

HostTensor f64(const std::vector<double> &v) {
  HostTensor t;
  t.dtype = SINTER_F64;
  t.dims = {int64_t(v.size())};
  t.bytes = bytesOf(v);
  return t;
}

template <typename T>
HostTensor tensorOf(sinter_dtype dtype, const std::vector<T> &v) {
  HostTensor t;
  t.dtype = dtype;
  t.dims = {int64_t(v.size())};
  t.bytes = bytesOf(v);
  return t;
}

TEST(Compare, IdenticalTensorsAreClose) {
  CompareResult r = compareTensors(f64({1, 2, 3}), f64({1, 2, 3}), 0, 0);
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.allClose);
  EXPECT_EQ(r.maxAbsError, 0);
  EXPECT_EQ(r.maxRelError, 0);
  EXPECT_EQ(r.numMismatches, 0);
  EXPECT_EQ(r.worstIndex, 0);
}

TEST(Compare, AbsoluteAndRelativeTolerance) {
  // |a - e| <= atol + rtol * |e|
  EXPECT_TRUE(compareTensors(f64({1.0}), f64({1.1}), 0.1000001, 0).allClose);
  EXPECT_FALSE(compareTensors(f64({1.0}), f64({1.1}), 0.09, 0).allClose);
  EXPECT_TRUE(compareTensors(f64({100.0}), f64({101.0}), 0, 0.01).allClose);
  EXPECT_FALSE(compareTensors(f64({100.0}), f64({101.5}), 0, 0.01).allClose);
  EXPECT_TRUE(compareTensors(f64({100.0}), f64({101.5}), 0.5, 0.01).allClose);
  // Relative to the expected value, not the actual one.
  EXPECT_FALSE(compareTensors(f64({1.0}), f64({2.0}), 0, 0.6).allClose);
  EXPECT_TRUE(compareTensors(f64({2.0}), f64({1.0}), 0, 0.6).allClose);

  CompareResult r = compareTensors(f64({1, 10, 100, 0}), f64({1.5, 10, 90, 0}),
                                   0.6, 0);
  EXPECT_FALSE(r.allClose);
  EXPECT_EQ(r.numMismatches, 1);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 10);
  EXPECT_DOUBLE_EQ(r.maxRelError, 0.5);
}

TEST(Compare, WorstIndexIsFurthestPastTolerance) {
  // Element 1 has the larger absolute error but is within rtol; element 2
  // is the one that fails.
  CompareResult r = compareTensors(f64({0, 1000, 1}), f64({0, 1005, 1.5}),
                                   0.01, 0.01);
  EXPECT_FALSE(r.allClose);
  EXPECT_EQ(r.numMismatches, 1);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 5);
  // All close: the worst is the largest absolute error.
  r = compareTensors(f64({0, 1000, 1}), f64({0, 1005, 1.001}), 0.01, 0.01);
  EXPECT_TRUE(r.allClose);
  EXPECT_EQ(r.worstIndex, 1);
}

TEST(Compare, NaNAndInfinity) {
  EXPECT_TRUE(compareTensors(f64({kNaN}), f64({kNaN}), 0, 0).allClose);
  EXPECT_FALSE(compareTensors(f64({kNaN}), f64({1}), 1e9, 1e9).allClose);
  EXPECT_FALSE(compareTensors(f64({1}), f64({kNaN}), 1e9, 1e9).allClose);
  EXPECT_TRUE(compareTensors(f64({kInf}), f64({kInf}), 0, 0).allClose);
  EXPECT_TRUE(compareTensors(f64({-kInf}), f64({-kInf}), 0, 0).allClose);
  EXPECT_FALSE(compareTensors(f64({kInf}), f64({-kInf}), 1e9, 1e9).allClose);
  EXPECT_FALSE(compareTensors(f64({kInf}), f64({1e308}), 1e9, 1e9).allClose);

  CompareResult r = compareTensors(f64({1, kNaN, 3}), f64({1.01, 2, 3}), 0.1, 0);
  EXPECT_FALSE(r.allClose);
  EXPECT_EQ(r.worstIndex, 1);
  EXPECT_EQ(r.maxAbsError, kInf);
  // Matched NaNs do not count as errors.
  r = compareTensors(f64({kNaN, 1}), f64({kNaN, 1.25}), 0.5, 0);
  EXPECT_TRUE(r.allClose);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 0.25);
  EXPECT_EQ(r.worstIndex, 1);
  // Relative error against an expected zero is infinite.
  r = compareTensors(f64({0}), f64({1e-9}), 1e-6, 0);
  EXPECT_TRUE(r.allClose);
  EXPECT_EQ(r.maxRelError, kInf);
}

TEST(Compare, RefusesMismatchedTensors) {
  HostTensor a = f64({1, 2, 3, 4});
  HostTensor b = a;
  b.dims = {2, 2};
  CompareResult r = compareTensors(a, b, 1, 1);
  EXPECT_FALSE(r.allClose);
  EXPECT_NE(r.error.find("expected [4], got [2,2]"), std::string::npos) << r.error;

  r = compareTensors(a, tensorOf<float>(SINTER_F32, {1, 2, 3, 4}), 1, 1);
  EXPECT_NE(r.error.find("expected f64, got f32"), std::string::npos) << r.error;

  b = a;
  b.bytes.pop_back();
  r = compareTensors(a, b, 1, 1);
  EXPECT_FALSE(r.allClose);
  EXPECT_FALSE(r.error.empty());

  HostTensor empty = f64({});
  r = compareTensors(empty, empty, 0, 0);
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.allClose);
  EXPECT_EQ(r.worstIndex, -1);
}

TEST(Compare, EveryDtype) {
  EXPECT_TRUE(compareTensors(tensorOf<float>(SINTER_F32, {1.0f, -2.5f}),
                             tensorOf<float>(SINTER_F32, {1.0f, -2.5f}), 0, 0)
                  .allClose);
  // f16: 1.0 (0x3c00) against 1.0009765625 (0x3c01), one ulp apart.
  CompareResult r = compareTensors(tensorOf<uint16_t>(SINTER_F16, {0x3c00}),
                                   tensorOf<uint16_t>(SINTER_F16, {0x3c01}), 0, 0);
  EXPECT_FALSE(r.allClose);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 1.0 / 1024);
  // bf16: 1.0 (0x3f80) against 1.0078125 (0x3f81).
  r = compareTensors(tensorOf<uint16_t>(SINTER_BF16, {0x3f80}),
                     tensorOf<uint16_t>(SINTER_BF16, {0x3f81}), 0, 0);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 1.0 / 128);
  r = compareTensors(tensorOf<int8_t>(SINTER_I8, {-128, 5}),
                     tensorOf<int8_t>(SINTER_I8, {127, 5}), 0, 0);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 255);
  EXPECT_EQ(r.worstIndex, 0);
  r = compareTensors(tensorOf<uint8_t>(SINTER_U8, {0, 200}),
                     tensorOf<uint8_t>(SINTER_U8, {0, 255}), 0, 0);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 55);
  r = compareTensors(tensorOf<int16_t>(SINTER_I16, {-300}),
                     tensorOf<int16_t>(SINTER_I16, {-299}), 1, 0);
  EXPECT_TRUE(r.allClose);
  r = compareTensors(tensorOf<int32_t>(SINTER_I32, {INT32_MIN}),
                     tensorOf<int32_t>(SINTER_I32, {INT32_MAX}), 0, 0);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 4294967295.0);
  r = compareTensors(tensorOf<int64_t>(SINTER_I64, {1LL << 40}),
                     tensorOf<int64_t>(SINTER_I64, {(1LL << 40) + 3}), 0, 0);
  EXPECT_DOUBLE_EQ(r.maxAbsError, 3);
  r = compareTensors(tensorOf<uint8_t>(SINTER_BOOL, {1, 0, 1}),
                     tensorOf<uint8_t>(SINTER_BOOL, {1, 1, 2}), 0, 0);
  EXPECT_EQ(r.numMismatches, 1); // 2 reads as true
  EXPECT_EQ(r.worstIndex, 1);
}

TEST(Compare, DecodesHalfAndBfloat16) {
  EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14)); // smallest normal
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
  EXPECT_EQ(halfToFloat(0x03ff), std::ldexp(1023.0f, -24));
  EXPECT_EQ(halfToFloat(0x0000), 0.0f);
  EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
  EXPECT_EQ(halfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(halfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0xfc01)));
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);

  EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(0xc040), -3.0f);
  EXPECT_EQ(bfloat16ToFloat(0x7f80), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(0x7fc0)));
  EXPECT_EQ(bfloat16ToFloat(0x0001), std::ldexp(1.0f, -133));
}

} // namespace
