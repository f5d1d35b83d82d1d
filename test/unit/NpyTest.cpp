// Tests .npy reading and writing: every dtype, NumPy's exact bytes, header variants, hostile files.
#include "TensorIO.h"
#include "TestUtil.h"

#include <cmath>
#include <limits>

using namespace sinter;
using namespace sinter::test;

namespace {

HostTensor makeTensor(sinter_dtype dtype, std::vector<int64_t> dims) {
  HostTensor t;
  t.dtype = dtype;
  t.dims = std::move(dims);
  t.bytes.resize(size_t(t.numElements()) * sinter_dtype_size(dtype));
  for (size_t i = 0; i < t.bytes.size(); ++i)
    t.bytes[i] = uint8_t(i * 37 + 11);
  if (dtype == SINTER_BOOL)
    for (size_t i = 0; i < t.bytes.size(); ++i)
      t.bytes[i] = i % 3 == 0;
  return t;
}

// Parses `data`, expecting a refusal whose message names the source and
// contains `problem`.
void expectRefused(const Bytes &data, const std::string &problem) {
  HostTensor t;
  std::string error;
  EXPECT_FALSE(parseNpy(data.data(), data.size(), "x.npy", t, error));
  EXPECT_EQ(error.rfind("x.npy: ", 0), 0u) << error;
  EXPECT_NE(error.find(problem), std::string::npos)
      << "message: " << error << "\nexpected to contain: " << problem;
}

HostTensor parseOk(const Bytes &data) {
  HostTensor t;
  std::string error;
  EXPECT_TRUE(parseNpy(data.data(), data.size(), "x.npy", t, error)) << error;
  return t;
}

const sinter_dtype kAllDtypes[] = {SINTER_F32, SINTER_F16, SINTER_BF16,
                                   SINTER_F64, SINTER_I8,  SINTER_U8,
                                   SINTER_I16, SINTER_I32, SINTER_I64,
                                   SINTER_BOOL, SINTER_U16, SINTER_U32,
                                   SINTER_U64};

TEST(Npy, RoundTripsEveryDtypeThroughAFile) {
  ScratchDir dir;
  for (sinter_dtype dtype : kAllDtypes) {
    SCOPED_TRACE(sinter_dtype_name(dtype));
    for (std::vector<int64_t> dims :
         {std::vector<int64_t>{2, 3, 4}, {5}, {}, {0, 7}}) {
      HostTensor in = makeTensor(dtype, dims);
      std::string path = dir.path(std::string(sinter_dtype_name(dtype)) + ".npy");
      std::string error;
      ASSERT_TRUE(writeNpy(path, in, error)) << error;
      HostTensor out;
      ASSERT_TRUE(readTensorFile(path, out, error)) << error;
      EXPECT_EQ(out.dims, in.dims);
      if (dtype == SINTER_BF16) {
        // Widened to f32 on write, value for value.
        ASSERT_EQ(out.dtype, SINTER_F32);
        ASSERT_EQ(out.numElements(), in.numElements());
        for (int64_t i = 0; i < in.numElements(); ++i) {
          double a = elementAsDouble(in, i), b = elementAsDouble(out, i);
          EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << i;
        }
      } else {
        EXPECT_EQ(out.dtype, dtype);
        EXPECT_EQ(out.bytes, in.bytes);
      }
    }
  }
}

TEST(Npy, WritesNumPysExactBytes) {
  // What numpy.save writes for arange(6, dtype='<f4').reshape(2, 3) and
  // array([1, 2, 3], dtype=int8).
  HostTensor f = makeTensor(SINTER_F32, {2, 3});
  Bytes expected = npyBytes(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", f.bytes);
  Bytes out;
  std::string error;
  ASSERT_TRUE(serializeNpy(f, out, error)) << error;
  EXPECT_EQ(out, expected);
  EXPECT_EQ(out.size(), 128u + 24u);

  HostTensor i = makeTensor(SINTER_I8, {3});
  ASSERT_TRUE(serializeNpy(i, out, error)) << error;
  EXPECT_EQ(out, npyBytes("{'descr': '|i1', 'fortran_order': False, "
                          "'shape': (3,), }",
                          i.bytes));
  HostTensor s = makeTensor(SINTER_I64, {});
  ASSERT_TRUE(serializeNpy(s, out, error)) << error;
  EXPECT_EQ(out, npyBytes("{'descr': '<i8', 'fortran_order': False, "
                          "'shape': (), }",
                          s.bytes));
}

TEST(Npy, ReadsHeaderVariants) {
  Bytes data = bytesOf(std::vector<float>{1, 2, 3, 4, 5, 6});
  const char *headers[] = {
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",
      "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<f4\"}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
      "  { 'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 2 , 3 , ) }  ",
  };
  for (const char *h : headers) {
    SCOPED_TRACE(h);
    for (int major : {1, 2, 3}) {
      HostTensor t = parseOk(npyBytes(h, data, major));
      EXPECT_EQ(t.dtype, SINTER_F32);
      EXPECT_EQ(t.dims, (std::vector<int64_t>{2, 3}));
      EXPECT_EQ(t.bytes, data);
    }
  }
  // Unpadded headers are fine too.
  EXPECT_EQ(parseOk(npyBytes(headers[0], data, 1, false)).bytes, data);
  // One-byte types with any byte-order mark.
  for (const char *d : {"|u1", "<u1", ">u1", "|b1", "|i1"})
    EXPECT_EQ(parseOk(npyBytes(std::string("{'descr': '") + d +
                                   "', 'fortran_order': False, 'shape': (2,)}",
                               {1, 0}))
                  .dims,
              (std::vector<int64_t>{2}));
  EXPECT_EQ(parseOk(npyBytes("{'descr': '<f8', 'fortran_order': False, "
                             "'shape': (0, 4)}",
                             {}))
                .numElements(),
            0);
}

TEST(Npy, RefusesWhatItCannotRead) {
  auto hdr = [](const std::string &descr, const std::string &order,
                const std::string &shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + order +
           ", 'shape': " + shape + ", }";
  };
  Bytes six = bytesOf(std::vector<float>(6));
  expectRefused(npyBytes(hdr("<f4", "True", "(2, 3)"), six), "fortran_order");
  expectRefused(npyBytes(hdr(">f4", "False", "(2, 3)"), six), "big-endian");
  expectRefused(npyBytes(hdr("|O", "False", "(2, 3)"), six), "object arrays");
  expectRefused(npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, "
                         "'shape': (6,)}",
                         six),
                "structured");
  expectRefused(npyBytes(hdr("<c8", "False", "(3,)"), six), "unsupported dtype");
  expectRefused(npyBytes(hdr("<U4", "False", "(6,)"), six), "unsupported dtype");
  expectRefused(npyBytes(hdr("<f4", "False", "(2, 3)"), Bytes(23)),
                "truncated data");
  expectRefused(npyBytes(hdr("<f4", "False", "(2, 3)"), Bytes(25)),
                "data size mismatch");
  expectRefused(npyBytes(hdr("<f4", "False", "(2, -3)"), six), "negative");
  expectRefused(npyBytes(hdr("<f4", "False", "(4611686018427387904, 4)"), six),
                "overflows");
  expectRefused(npyBytes(hdr("<f4", "False", "(99999999999999999999,)"), six),
                "too large");
  expectRefused(npyBytes(hdr("<f4", "False", "(2, 3.5)"), six),
                "malformed shape");
  expectRefused(npyBytes(hdr("<f4", "False", "[2, 3]"), six), "not a tuple");
  std::string rank65 = "(";
  for (int i = 0; i < 65; ++i)
    rank65 += "1,";
  expectRefused(npyBytes(hdr("<f4", "False", rank65 + ")"), six),
                "more than 64");
  expectRefused(npyBytes("{'descr': '<f4', 'shape': (6,)}", six), "lacks");
  expectRefused(npyBytes(hdr("<f4", "False", "(6,)") + "x", six), "trailing");
  expectRefused(npyBytes("{'descr': '<f4', 'fortran_order': False, "
                         "'shape': (6,), 'extra': 1}",
                         six),
                "unexpected key");
  expectRefused(npyBytes("['<f4']", six), "not a dict");
  expectRefused(npyBytes(hdr("<f4", "Maybe", "(6,)"), six), "fortran_order");
  expectRefused(npyBytes(hdr("<f4", "False", "(6,)"), six, 4),
                "unsupported .npy format version 4");
  expectRefused(Bytes{'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0}, "bad magic");
  expectRefused(Bytes{}, "truncated");
  expectRefused(Bytes{0x93, 'N', 'U', 'M'}, "truncated");

  // A 2.0 header that claims 2 GiB.
  Bytes huge = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0x80, '{'};
  expectRefused(huge, "header too large");
  // A header longer than the file.
  Bytes cut = npyBytes(hdr("<f4", "False", "(6,)"), {});
  cut.resize(40);
  expectRefused(cut, "header cut short");
}

TEST(Npy, SurvivesEveryTruncationAndGarbage) {
  HostTensor t = makeTensor(SINTER_I16, {3, 5});
  Bytes good;
  std::string error;
  ASSERT_TRUE(serializeNpy(t, good, error));
  for (size_t n = 0; n < good.size(); ++n) {
    HostTensor out;
    EXPECT_FALSE(parseNpy(good.data(), n, "cut.npy", out, error)) << n;
  }
  // Flip every header byte to a few values: any answer but a crash is fine,
  // and an accepted file must be self-consistent.
  for (size_t i = 0; i < 128; ++i) {
    for (uint8_t v : {uint8_t(0), uint8_t('9'), uint8_t(')'), uint8_t(0xff)}) {
      Bytes bad = good;
      bad[i] = v;
      HostTensor out;
      if (parseNpy(bad.data(), bad.size(), "bad.npy", out, error)) {
        EXPECT_EQ(out.bytes.size(),
                  size_t(out.numElements()) * sinter_dtype_size(out.dtype));
      }
    }
  }
  uint32_t seed = 12345;
  for (int round = 0; round < 2000; ++round) {
    Bytes junk(size_t(seed % 300));
    for (uint8_t &b : junk)
      b = uint8_t((seed = seed * 1103515245u + 12345u) >> 16);
    if (junk.size() >= 6)
      std::memcpy(junk.data(), "\x93NUMPY", 6);
    HostTensor out;
    parseNpy(junk.data(), junk.size(), "junk.npy", out, error);
  }
}

TEST(Npy, FileErrorsNameTheFile) {
  ScratchDir dir;
  HostTensor t;
  std::string error;
  std::string missing = dir.path("missing.npy");
  EXPECT_FALSE(readTensorFile(missing, t, error));
  EXPECT_NE(error.find(missing + ": cannot open"), std::string::npos) << error;

  EXPECT_FALSE(readTensorFile(dir.path("data.txt"), t, error));
  EXPECT_NE(error.find("expected .npy or .pb"), std::string::npos) << error;

  std::string nowhere = dir.path("no/such/dir/out.npy");
  EXPECT_FALSE(writeNpy(nowhere, makeTensor(SINTER_F32, {2}), error));
  EXPECT_NE(error.find(nowhere + ": cannot create"), std::string::npos)
      << error;

  HostTensor inconsistent = makeTensor(SINTER_F32, {2, 2});
  inconsistent.bytes.pop_back();
  std::string path = dir.path("inconsistent.npy");
  EXPECT_FALSE(writeNpy(path, inconsistent, error));
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("needs 16"), std::string::npos) << error;

  std::string truncated = dir.path("truncated.npy");
  Bytes good;
  ASSERT_TRUE(serializeNpy(makeTensor(SINTER_F64, {4}), good, error));
  good.resize(good.size() - 3);
  ASSERT_TRUE(dir.write(truncated, good));
  EXPECT_FALSE(readNpy(truncated, t, error));
  EXPECT_NE(error.find(truncated + ": truncated data"), std::string::npos)
      << error;
}

TEST(Npy, ViewPointsAtTheTensor) {
  HostTensor t = makeTensor(SINTER_I32, {2, 5});
  sinter_tensor v = t.view();
  EXPECT_EQ(v.data, t.bytes.data());
  EXPECT_EQ(v.dtype, SINTER_I32);
  EXPECT_EQ(v.rank, 2);
  EXPECT_EQ(v.dims, t.dims.data());
  EXPECT_EQ(formatDims(t.dims), "[2,5]");
  EXPECT_EQ(formatDims({}), "[]");
}

} // namespace

TEST(Npy, ReadsTheUnsignedTypes) {
  // NumPy's u2, u4 and u8 are uint16, uint32 and uint64.
  std::vector<uint64_t> big = {0, UINT64_MAX, uint64_t(1) << 63};
  auto hdr = [](const std::string &descr) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (3,), }";
  };
  HostTensor t = parseOk(npyBytes(hdr("<u8"), bytesOf(big)));
  EXPECT_EQ(t.dtype, SINTER_U64);
  EXPECT_EQ(t.bytes, bytesOf(big));
  std::vector<uint32_t> mid = {0, UINT32_MAX, 7};
  EXPECT_EQ(parseOk(npyBytes(hdr("<u4"), bytesOf(mid))).dtype, SINTER_U32);
  std::vector<uint16_t> small = {0, UINT16_MAX, 7};
  EXPECT_EQ(parseOk(npyBytes(hdr("<u2"), bytesOf(small))).dtype, SINTER_U16);
}
