// Tests reading ONNX TensorProto .pb files from hand-built messages, packed and unpacked.
#include "TensorIO.h"
#include "TestUtil.h"

#include <dirent.h>

#include <cmath>

using namespace sinter;
using namespace sinter::test;

namespace {

// ONNX TensorProto.DataType codes.
enum : int64_t {
  FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7,
  STRING = 8, BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13,
  BFLOAT16 = 16, COMPLEX64 = 14
};

HostTensor parseOk(const Proto &p) {
  HostTensor t;
  std::string error;
  EXPECT_TRUE(parseTensorProto(p.bytes.data(), p.bytes.size(), "t.pb", t, error))
      << error;
  return t;
}

void expectRefused(const Proto &p, const std::string &problem) {
  HostTensor t;
  std::string error;
  EXPECT_FALSE(parseTensorProto(p.bytes.data(), p.bytes.size(), "t.pb", t, error));
  EXPECT_EQ(error.rfind("t.pb: ", 0), 0u) << error;
  EXPECT_NE(error.find(problem), std::string::npos)
      << "message: " << error << "\nexpected to contain: " << problem;
}

template <typename T> std::vector<T> values(const HostTensor &t) {
  std::vector<T> out(t.bytes.size() / sizeof(T));
  if (!out.empty())
    std::memcpy(out.data(), t.bytes.data(), t.bytes.size());
  return out;
}

TEST(TensorProto, FloatDataPackedAndUnpacked) {
  std::vector<float> v = {1.5f, -2.0f, 0.0f, 3.25f, 1e30f, -0.0f};
  for (bool packed : {true, false}) {
    Proto p;
    p.varintField(kDataType, FLOAT).stringField(kName, "input_0");
    if (packed)
      p.packedVarints(kDims, {2, 3}).packedFixed(kFloatData, v);
    else
      p.unpackedVarints(kDims, {2, 3}).unpackedFixed(kFloatData, v);
    HostTensor t = parseOk(p);
    EXPECT_EQ(t.dtype, SINTER_F32);
    EXPECT_EQ(t.dims, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(t.name, "input_0");
    EXPECT_EQ(t.bytes, bytesOf(v));
  }
}

TEST(TensorProto, RawDataForEveryDtype) {
  struct Case {
    int64_t code;
    sinter_dtype dtype;
  } cases[] = {{FLOAT, SINTER_F32}, {UINT8, SINTER_U8},    {INT8, SINTER_I8},
               {INT16, SINTER_I16}, {INT32, SINTER_I32},   {INT64, SINTER_I64},
               {BOOL, SINTER_BOOL}, {FLOAT16, SINTER_F16}, {DOUBLE, SINTER_F64},
               {BFLOAT16, SINTER_BF16}, {UINT16, SINTER_U16},
               {UINT32, SINTER_U32},   {UINT64, SINTER_U64}};
  for (const Case &c : cases) {
    SCOPED_TRACE(sinter_dtype_name(c.dtype));
    Bytes raw(4 * 5 * sinter_dtype_size(c.dtype));
    for (size_t i = 0; i < raw.size(); ++i)
      raw[i] = uint8_t(c.dtype == SINTER_BOOL ? i % 2 : i * 7 + 1);
    Proto p;
    p.unpackedVarints(kDims, {4, 5}).varintField(kDataType, c.code).bytesField(kRawData, raw);
    HostTensor t = parseOk(p);
    EXPECT_EQ(t.dtype, c.dtype);
    EXPECT_EQ(t.dims, (std::vector<int64_t>{4, 5}));
    EXPECT_EQ(t.bytes, raw);
  }
}

TEST(TensorProto, TypedFieldsOfEveryWidth) {
  // double_data, packed and not.
  for (bool packed : {true, false}) {
    Proto p;
    p.packedVarints(kDims, {3}).varintField(kDataType, DOUBLE);
    std::vector<double> v = {0.1, -1e300, 42};
    if (packed)
      p.packedFixed(kDoubleData, v);
    else
      p.unpackedFixed(kDoubleData, v);
    EXPECT_EQ(parseOk(p).bytes, bytesOf(v));
  }
  // int64_data with negatives (ten-byte varints), packed and not.
  std::vector<int64_t> i64 = {-1, 0, INT64_MAX, INT64_MIN, 300};
  Proto packed, unpacked;
  packed.packedVarints(kDims, {5}).varintField(kDataType, INT64).packedVarints(kInt64Data, i64);
  unpacked.packedVarints(kDims, {5}).varintField(kDataType, INT64).unpackedVarints(kInt64Data, i64);
  EXPECT_EQ(values<int64_t>(parseOk(packed)), i64);
  EXPECT_EQ(values<int64_t>(parseOk(unpacked)), i64);

  // The narrow types live in int32_data, negatives sign-extended on the wire.
  std::vector<int64_t> small = {-128, 127, -1, 0};
  Proto p8;
  p8.packedVarints(kDims, {4}).varintField(kDataType, INT8).packedVarints(kInt32Data, small);
  EXPECT_EQ(values<int8_t>(parseOk(p8)), (std::vector<int8_t>{-128, 127, -1, 0}));
  Proto pu8;
  pu8.packedVarints(kDims, {3}).varintField(kDataType, UINT8).unpackedVarints(kInt32Data, {0, 255, 7});
  EXPECT_EQ(values<uint8_t>(parseOk(pu8)), (std::vector<uint8_t>{0, 255, 7}));
  Proto p16;
  p16.packedVarints(kDims, {2}).varintField(kDataType, INT16).packedVarints(kInt32Data, {-32768, 1234});
  EXPECT_EQ(values<int16_t>(parseOk(p16)), (std::vector<int16_t>{-32768, 1234}));
  Proto p32;
  p32.packedVarints(kDims, {3}).varintField(kDataType, INT32).packedVarints(kInt32Data, {INT32_MIN, -5, INT32_MAX});
  EXPECT_EQ(values<int32_t>(parseOk(p32)), (std::vector<int32_t>{INT32_MIN, -5, INT32_MAX}));
  Proto pu16;
  pu16.packedVarints(kDims, {2}).varintField(kDataType, UINT16).packedVarints(kInt32Data, {65535, 3});
  EXPECT_EQ(values<uint16_t>(parseOk(pu16)), (std::vector<uint16_t>{65535, 3}));
  // u32 and u64 live in uint64_data.
  Proto pu32;
  pu32.packedVarints(kDims, {2}).varintField(kDataType, UINT32).packedVarints(kUint64Data, {UINT32_MAX, 5});
  EXPECT_EQ(values<uint32_t>(parseOk(pu32)), (std::vector<uint32_t>{UINT32_MAX, 5}));
  Proto pu64;
  pu64.packedVarints(kDims, {2}).varintField(kDataType, UINT64).unpackedVarints(kUint64Data, {-1, 9});
  EXPECT_EQ(values<uint64_t>(parseOk(pu64)), (std::vector<uint64_t>{UINT64_MAX, 9}));
  Proto pb;
  pb.packedVarints(kDims, {3}).varintField(kDataType, BOOL).packedVarints(kInt32Data, {1, 0, 1});
  EXPECT_EQ(parseOk(pb).bytes, (Bytes{1, 0, 1}));
  // f16 / bf16: the bit patterns, in int32_data.
  Proto ph;
  ph.packedVarints(kDims, {2}).varintField(kDataType, FLOAT16).packedVarints(kInt32Data, {0x3c00, 0xc000});
  HostTensor h = parseOk(ph);
  EXPECT_EQ(elementAsDouble(h, 0), 1.0);
  EXPECT_EQ(elementAsDouble(h, 1), -2.0);
  Proto pbf;
  pbf.packedVarints(kDims, {1}).varintField(kDataType, BFLOAT16).packedVarints(kInt32Data, {0x3fc0});
  EXPECT_EQ(elementAsDouble(parseOk(pbf), 0), 1.5);
}

TEST(TensorProto, ScalarsEmptyTensorsAndUnknownFields) {
  Proto scalar;
  scalar.varintField(kDataType, FLOAT).unpackedFixed(kFloatData, std::vector<float>{7.0f});
  HostTensor s = parseOk(scalar);
  EXPECT_TRUE(s.dims.empty());
  EXPECT_EQ(values<float>(s), std::vector<float>{7.0f});

  Proto empty;
  empty.packedVarints(kDims, {0, 3}).varintField(kDataType, FLOAT);
  EXPECT_EQ(parseOk(empty).bytes.size(), 0u);

  // doc_string (12), and fields from the future of every wire type, skipped.
  Proto extra;
  extra.stringField(12, "doc").varintField(99, 5).packedVarints(kDims, {1})
      .tag(100, 1).raw(Bytes(8)).tag(101, 5).raw(Bytes(4))
      .varintField(kDataType, INT32).varintField(kInt32Data, 9);
  EXPECT_EQ(values<int32_t>(parseOk(extra)), std::vector<int32_t>{9});
}

TEST(TensorProto, RefusesWhatItCannotRead) {
  auto base = [](int64_t type, std::vector<int64_t> dims) {
    Proto p;
    p.packedVarints(kDims, dims).varintField(kDataType, type);
    return p;
  };
  expectRefused(base(STRING, {1}).stringField(kStringData, "hi"), "STRING");
  expectRefused(base(FLOAT, {1}).stringField(kStringData, "hi"), "string_data");
  expectRefused(base(COMPLEX64, {1}), "COMPLEX64");
  expectRefused(base(77, {1}), "unsupported data_type 77");
  Proto noType;
  noType.packedVarints(kDims, {1}).packedFixed(kFloatData, std::vector<float>{1});
  expectRefused(noType, "UNDEFINED");
  expectRefused(base(FLOAT, {2, 3}).bytesField(kRawData, Bytes(23)),
                "raw_data has 23 bytes, shape [2,3] of f32 needs 24");
  expectRefused(base(FLOAT, {2, 3}).packedFixed(kFloatData, std::vector<float>(5)),
                "holds 5 values, shape [2,3] needs 6");
  expectRefused(base(FLOAT, {2}).packedVarints(kInt64Data, {1, 2}),
                "float_data holds 0 values");
  expectRefused(base(FLOAT, {2, -3}), "negative dimension");
  expectRefused(base(FLOAT, {INT64_MAX, INT64_MAX}), "overflows");
  // Huge but representable: refused for want of data, before allocating.
  expectRefused(base(DOUBLE, {1 << 20, 1 << 20, 1 << 10}).packedFixed(kDoubleData, std::vector<double>{1}),
                "needs 1125899906842624");
  expectRefused(base(FLOAT, {1}).varintField(kDataLocation, 1), "external data");
  expectRefused(base(FLOAT, {1}).bytesField(kExternalData, {}), "external data");
  expectRefused(base(FLOAT, {1}).bytesField(kSegment, {}), "segmented");

  // Malformed wire format.
  expectRefused(base(FLOAT, {1}).tag(kFloatData, 3), "field 4, wire type 3");
  expectRefused(base(FLOAT, {1}).tag(kRawData, 0).raw({1}), "field 9");
  Proto longVarint;
  longVarint.tag(kDims, 0).raw(Bytes(11, 0xff));
  expectRefused(longVarint, "malformed");
  Proto pastEnd;
  pastEnd.tag(kRawData, 2).raw(Proto::varint(1000)).raw(Bytes(3));
  expectRefused(pastEnd, "truncated");
  Proto zeroField;
  zeroField.tag(0, 0).raw({0});
  expectRefused(zeroField, "bad field tag");
  Proto oddPacked = base(FLOAT, {1});
  oddPacked.bytesField(kFloatData, Bytes(6));
  expectRefused(oddPacked, "field 4");
}

TEST(TensorProto, SurvivesEveryTruncation) {
  Proto p;
  p.packedVarints(kDims, {2, 2}).varintField(kDataType, INT64)
      .stringField(kName, "x").unpackedVarints(kInt64Data, {-1, 2, -3, 4});
  HostTensor t;
  std::string error;
  ASSERT_TRUE(parseTensorProto(p.bytes.data(), p.bytes.size(), "t.pb", t, error));
  for (size_t n = 0; n < p.bytes.size(); ++n)
    EXPECT_FALSE(parseTensorProto(p.bytes.data(), n, "t.pb", t, error)) << n;
  uint32_t seed = 99;
  for (int round = 0; round < 5000; ++round) {
    Bytes junk(size_t(seed % 200));
    for (uint8_t &b : junk)
      b = uint8_t((seed = seed * 1103515245u + 12345u) >> 16);
    if (parseTensorProto(junk.data(), junk.size(), "junk.pb", t, error)) {
      EXPECT_EQ(t.bytes.size(),
                size_t(t.numElements()) * sinter_dtype_size(t.dtype));
    }
  }
}

TEST(TensorProto, ReadsFromAFile) {
  ScratchDir dir;
  Proto p;
  p.packedVarints(kDims, {2}).varintField(kDataType, INT32).packedVarints(kInt32Data, {5, 6});
  std::string path = dir.path("input_0.pb");
  ASSERT_TRUE(dir.write(path, p.bytes));
  HostTensor t;
  std::string error;
  ASSERT_TRUE(readTensorFile(path, t, error)) << error;
  EXPECT_EQ(values<int32_t>(t), (std::vector<int32_t>{5, 6}));

  std::string bad = dir.path("bad.pb");
  ASSERT_TRUE(dir.write(bad, Bytes{0x0a, 0x05, 0x01}));
  EXPECT_FALSE(readTensorFile(bad, t, error));
  EXPECT_EQ(error.rfind(bad + ": ", 0), 0u) << error;
}

// Debian's libonnx-testdata: every tensor in it either reads or is refused
// with a message; the plain float ones read as they should.
TEST(TensorProto, ReadsOnnxBackendTestData) {
  const std::string root = "/usr/share/libonnx-testdata/data/node/";
  HostTensor t;
  std::string error;
  if (!readTensorProto(root + "test_abs/test_data_set_0/input_0.pb", t, error))
    GTEST_SKIP() << "libonnx-testdata is not installed: " << error;
  EXPECT_EQ(t.dtype, SINTER_F32);
  EXPECT_EQ(t.dims, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(t.name, "x");

  DIR *nodes = opendir(root.c_str());
  ASSERT_NE(nodes, nullptr);
  int read = 0, refused = 0;
  while (dirent *e = readdir(nodes)) {
    std::string set = root + e->d_name + "/test_data_set_0/";
    for (const char *file : {"input_0.pb", "output_0.pb"}) {
      std::string path = set + file;
      if (access(path.c_str(), R_OK) != 0)
        continue;
      if (readTensorProto(path, t, error)) {
        ++read;
        EXPECT_EQ(t.bytes.size(),
                  size_t(t.numElements()) * sinter_dtype_size(t.dtype));
      } else {
        ++refused;
        EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
      }
    }
  }
  closedir(nodes);
  EXPECT_GT(read, 10 * refused) << read << " read, " << refused << " refused";
}

} // namespace
