// Helpers for the unit tests: scratch files, hand-built .npy bytes and protobuf encoding.
#ifndef SINTER_TEST_UNIT_TESTUTIL_H
#define SINTER_TEST_UNIT_TESTUTIL_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

#include "gtest/gtest.h"

namespace sinter::test {

using Bytes = std::vector<uint8_t>;

/// A fresh directory, removed (with its files) at the end of the test.
class ScratchDir {
public:
  ScratchDir() {
    std::string tmpl = ::testing::TempDir() + "sinter-unit-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()))
      dir = buf.data();
  }
  ~ScratchDir() {
    for (const std::string &f : files)
      std::remove(f.c_str());
    if (!dir.empty())
      rmdir(dir.c_str());
  }
  std::string path(const std::string &name) {
    files.push_back(dir + "/" + name);
    return files.back();
  }
  bool write(const std::string &file, const Bytes &data) {
    FILE *f = std::fopen(file.c_str(), "wb");
    if (!f)
      return false;
    bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    return std::fclose(f) == 0 && ok;
  }

private:
  std::string dir;
  std::vector<std::string> files;
};

/// A .npy file: magic, version, header length, `header` padded as NumPy pads
/// it (unless `pad` is false), then `data`.
inline Bytes npyBytes(const std::string &header, const Bytes &data,
                      int major = 1, bool pad = true) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string h = header;
  if (pad) {
    size_t total = prefix + h.size() + 1;
    h.append((64 - total % 64) % 64, ' ');
    h += '\n';
  }
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(uint8_t(h.size() >> (8 * i)));
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

/// The little-endian bytes of `values`.
template <typename T> Bytes bytesOf(const std::vector<T> &values) {
  Bytes out(values.size() * sizeof(T));
  if (!values.empty())
    std::memcpy(out.data(), values.data(), out.size());
  return out;
}

/// A protobuf encoder for hand-built TensorProto messages.
class Proto {
public:
  Bytes bytes;

  static Bytes varint(uint64_t v) {
    Bytes out;
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      out.push_back(b | (v ? 0x80 : 0));
    } while (v);
    return out;
  }
  Proto &raw(const Bytes &b) {
    bytes.insert(bytes.end(), b.begin(), b.end());
    return *this;
  }
  Proto &tag(unsigned field, unsigned wire) {
    return raw(varint(uint64_t(field) << 3 | wire));
  }
  Proto &varintField(unsigned field, int64_t v) {
    return tag(field, 0).raw(varint(uint64_t(v)));
  }
  Proto &bytesField(unsigned field, const Bytes &b) {
    return tag(field, 2).raw(varint(b.size())).raw(b);
  }
  Proto &stringField(unsigned field, const std::string &s) {
    return bytesField(field, Bytes(s.begin(), s.end()));
  }
  Proto &packedVarints(unsigned field, const std::vector<int64_t> &vs) {
    Bytes payload;
    for (int64_t v : vs) {
      Bytes b = varint(uint64_t(v));
      payload.insert(payload.end(), b.begin(), b.end());
    }
    return bytesField(field, payload);
  }
  Proto &unpackedVarints(unsigned field, const std::vector<int64_t> &vs) {
    for (int64_t v : vs)
      varintField(field, v);
    return *this;
  }
  template <typename T> Proto &packedFixed(unsigned field, const std::vector<T> &vs) {
    return bytesField(field, bytesOf(vs));
  }
  template <typename T>
  Proto &unpackedFixed(unsigned field, const std::vector<T> &vs) {
    for (const T &v : vs)
      tag(field, sizeof(T) == 4 ? 5 : 1).raw(bytesOf(std::vector<T>{v}));
    return *this;
  }
};

/// TensorProto field numbers.
enum : unsigned {
  kDims = 1, kDataType = 2, kSegment = 3, kFloatData = 4, kInt32Data = 5,
  kStringData = 6, kInt64Data = 7, kName = 8, kRawData = 9, kDoubleData = 10,
  kUint64Data = 11, kExternalData = 13, kDataLocation = 14
};

} // namespace sinter::test

#endif // SINTER_TEST_UNIT_TESTUTIL_H
