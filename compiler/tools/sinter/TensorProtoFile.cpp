// Reads ONNX TensorProto .pb tensor files; readTensorFile picks .npy or .pb.
//
// Everything here assumes a little-endian host (x86-64, AArch64), as the files
// do: element bytes are copied as they are. No exceptions: this file is built
// into the LLVM-style `sinter` tool, so every failure is a returned message.
#include "TensorFileCommon.h"

#include <cstring>

namespace sinter {
using namespace detail;
namespace {

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- protobuf wire format, just enough for onnx.TensorProto. ----

class WireReader {
public:
  WireReader(const uint8_t *begin, const uint8_t *end) : p(begin), e(end) {}
  bool atEnd() const { return p == e; }
  size_t remaining() const { return size_t(e - p); }

  bool varint(uint64_t &v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p == e)
        return false;
      uint8_t b = *p++;
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80))
        return true;
    }
    return false; // more than 10 bytes
  }
  bool fixed(void *out, size_t n) {
    if (remaining() < n)
      return false;
    std::memcpy(out, p, n);
    p += n;
    return true;
  }
  // A length-delimited field's payload.
  bool bytes(const uint8_t *&begin, size_t &size) {
    uint64_t len;
    if (!varint(len) || len > remaining())
      return false;
    begin = p;
    size = size_t(len);
    p += size;
    return true;
  }
  bool skip(unsigned wire) {
    uint64_t v;
    const uint8_t *b;
    size_t n;
    switch (wire) {
    case 0: return varint(v);
    case 1: return remaining() >= 8 && (p += 8, true);
    case 2: return bytes(b, n);
    case 5: return remaining() >= 4 && (p += 4, true);
    default: return false; // groups (3, 4) are not in TensorProto
    }
  }

private:
  const uint8_t *p, *e;
};

// A repeated scalar field: packed (wire 2), or one value per tag with wire
// type `single` (0: varint, 1: 64-bit, 5: 32-bit).
template <typename T>
bool readRepeated(WireReader &r, unsigned wire, unsigned single,
                  std::vector<T> &out) {
  auto one = [&](WireReader &in) {
    T v{};
    uint64_t u = 0;
    if (single == 0 ? !in.varint(u) : !in.fixed(&v, sizeof(T)))
      return false;
    out.push_back(single == 0 ? T(u) : v);
    return true;
  };
  if (wire == single)
    return one(r);
  const uint8_t *b;
  size_t n;
  if (wire != 2 || !r.bytes(b, n))
    return false;
  WireReader packed(b, b + n);
  while (!packed.atEnd())
    if (!one(packed))
      return false;
  return true;
}

struct ProtoFields {
  std::vector<int64_t> dims;
  int64_t dataType = 0;
  std::vector<float> floats;
  std::vector<int32_t> int32s;
  std::vector<int64_t> int64s;
  std::vector<double> doubles;
  std::vector<uint64_t> uint64s;
  const uint8_t *raw = nullptr;
  size_t rawSize = 0;
  bool hasRaw = false, hasStrings = false, hasSegment = false;
  bool external = false;
  std::string name;
};

bool parseProtoFields(WireReader &r, ProtoFields &f, std::string &problem) {
  while (!r.atEnd()) {
    uint64_t tag;
    if (!r.varint(tag) || (tag >> 3) == 0 || (tag >> 3) > (1u << 29)) {
      problem = "malformed protobuf (bad field tag)";
      return false;
    }
    unsigned field = unsigned(tag >> 3), wire = unsigned(tag & 7);
    bool ok = true;
    const uint8_t *b;
    size_t n;
    std::vector<int64_t> ints;
    switch (field) {
    case 1: ok = readRepeated(r, wire, 0, f.dims); break;
    case 2: ok = readRepeated(r, wire, 0, ints) && !ints.empty();
      if (ok) f.dataType = ints.back();
      break;
    case 3: f.hasSegment = true; ok = r.skip(wire); break;
    case 4: ok = readRepeated(r, wire, 5, f.floats); break;
    case 5: ok = readRepeated(r, wire, 0, f.int32s); break;
    case 6: f.hasStrings = true; ok = r.skip(wire); break;
    case 7: ok = readRepeated(r, wire, 0, f.int64s); break;
    case 8: ok = wire == 2 && r.bytes(b, n);
      if (ok) f.name.assign(reinterpret_cast<const char *>(b), n);
      break;
    case 9: ok = wire == 2 && r.bytes(f.raw, f.rawSize); f.hasRaw = true; break;
    case 10: ok = readRepeated(r, wire, 1, f.doubles); break;
    case 11: ok = readRepeated(r, wire, 0, f.uint64s); break;
    case 13: f.external = true; ok = r.skip(wire); break;
    case 14: ok = readRepeated(r, wire, 0, ints) && !ints.empty();
      if (ok && ints.back() == 1) f.external = true;
      break;
    default: ok = r.skip(wire); break;
    }
    if (!ok) {
      problem = "malformed or truncated protobuf (field " +
                std::to_string(field) + ", wire type " + std::to_string(wire) +
                ")";
      return false;
    }
  }
  return true;
}

bool dtypeFromOnnx(int64_t code, sinter_dtype &dtype, std::string &problem) {
  static const struct {
    int64_t code;
    sinter_dtype dtype;
  } table[] = {{1, SINTER_F32},  {2, SINTER_U8},   {3, SINTER_I8},
               {4, SINTER_U16},  {5, SINTER_I16},  {6, SINTER_I32},
               {7, SINTER_I64},  {9, SINTER_BOOL}, {10, SINTER_F16},
               {11, SINTER_F64}, {12, SINTER_U32}, {13, SINTER_U64},
               {16, SINTER_BF16}, {17, SINTER_F8E4M3FN},
               {18, SINTER_F8E4M3FNUZ}, {19, SINTER_F8E5M2},
               {20, SINTER_F8E5M2FNUZ}, {24, SINTER_F8E8M0},
               {21, SINTER_U4}, {22, SINTER_I4}, {23, SINTER_F4E2M1},
               {25, SINTER_U2}, {26, SINTER_I2}};
  for (const auto &t : table)
    if (t.code == code)
      return dtype = t.dtype, true;
  static const char *const names[] = {
      "UNDEFINED", "", "", "", "", "", "", "", "STRING", "", "", "",
      "", "", "COMPLEX64", "COMPLEX128"};
  problem = "unsupported data_type " + std::to_string(code);
  if (code >= 0 && code < 16 && *names[code])
    problem += std::string(" (") + names[code] + ")";
  return false;
}

// Fills `bytes` from the typed field that holds `dtype`'s values: f32, f64
// and i64 have their own, u32 and u64 share uint64_data; the rest live in
// int32_data, one value each.
bool typedData(const ProtoFields &f, sinter_dtype dtype, uint64_t count,
               std::vector<uint8_t> &bytes, std::string &problem) {
  const void *src = f.int32s.data();
  size_t have = f.int32s.size();
  const char *field = "int32_data";
  if (dtype == SINTER_F32)
    src = f.floats.data(), have = f.floats.size(), field = "float_data";
  else if (dtype == SINTER_F64)
    src = f.doubles.data(), have = f.doubles.size(), field = "double_data";
  else if (dtype == SINTER_I64)
    src = f.int64s.data(), have = f.int64s.size(), field = "int64_data";
  else if (dtype == SINTER_U32 || dtype == SINTER_U64)
    src = f.uint64s.data(), have = f.uint64s.size(), field = "uint64_data";
  if (have != count) {
    problem = std::string(field) + " holds " + std::to_string(have) +
              " values, shape " + formatDims(f.dims) + " needs " +
              std::to_string(count);
    return false;
  }
  // Each value took at least one byte of input, so this is bounded by the
  // file's size: a hostile shape fails the check above, never allocates.
  size_t width = sinter_dtype_size(dtype);
  bytes.assign(size_t(count) * width, 0);
  if (dtype == SINTER_U32) { // narrower than its field
    for (size_t i = 0; i < count; ++i) {
      uint32_t v = uint32_t(f.uint64s[i]);
      std::memcpy(bytes.data() + i * width, &v, width);
    }
    return true;
  }
  if (width >= 4) { // the field's element type is the tensor's
    if (count)
      std::memcpy(bytes.data(), src, size_t(count) * width);
    return true;
  }
  for (size_t i = 0; i < count; ++i) {
    uint32_t v = uint32_t(f.int32s[i]);
    if (dtype == SINTER_BOOL)
      v = v != 0;
    std::memcpy(bytes.data() + i * width, &v, width); // low bytes: little-endian
  }
  return true;
}

/// Bits per element of ONNX's packed sub-byte types, 0 for the others.
unsigned packedBits(sinter_dtype dtype) {
  switch (dtype) {
  case SINTER_I4:
  case SINTER_U4:
  case SINTER_F4E2M1:
    return 4;
  case SINTER_I2:
  case SINTER_U2:
    return 2;
  default:
    return 0;
  }
}

// ONNX packs sub-byte elements low bits first, in raw_data or one packed
// byte per int32_data value; the C API wants one element per byte, the
// signed types sign-extended.
bool unpackSubByte(const ProtoFields &f, sinter_dtype dtype, uint64_t count,
                   std::vector<uint8_t> &bytes, std::string &problem) {
  unsigned bits = packedBits(dtype);
  uint64_t packed = (count * bits + 7) / 8;
  std::vector<uint8_t> source;
  if (f.hasRaw) {
    if (f.rawSize != packed) {
      problem = "raw_data has " + std::to_string(f.rawSize) + " bytes, shape " +
                formatDims(f.dims) + " of " + sinter_dtype_name(dtype) +
                " needs " + std::to_string(packed) + " (packed)";
      return false;
    }
    source.assign(f.raw, f.raw + f.rawSize);
  } else {
    if (f.int32s.size() != packed) {
      problem = "int32_data holds " + std::to_string(f.int32s.size()) +
                " values, shape " + formatDims(f.dims) + " of " +
                sinter_dtype_name(dtype) + " needs " + std::to_string(packed) +
                " (packed)";
      return false;
    }
    for (int32_t v : f.int32s)
      source.push_back(uint8_t(v));
  }
  bool isSigned = dtype == SINTER_I4 || dtype == SINTER_I2;
  unsigned mask = (1u << bits) - 1;
  bytes.assign(size_t(count), 0);
  for (uint64_t i = 0; i < count; ++i) {
    unsigned v = (source[i * bits / 8] >> (i * bits % 8)) & mask;
    if (isSigned && (v >> (bits - 1)))
      v |= ~mask; // sign-extend into the byte
    bytes[i] = uint8_t(v);
  }
  return true;
}

} // namespace

bool parseTensorProto(const uint8_t *data, size_t size, const std::string &what,
                      HostTensor &out, std::string &error) {
  ProtoFields f;
  std::string problem;
  WireReader r(data, data + size);
  sinter_dtype dtype;
  if (!parseProtoFields(r, f, problem) ||
      !dtypeFromOnnx(f.dataType, dtype, problem))
    return fail(error, what, problem);
  if (f.hasStrings)
    return fail(error, what, "string_data is not supported");
  if (f.external)
    return fail(error, what, "tensors with external data are not supported");
  if (f.hasSegment)
    return fail(error, what, "segmented tensors are not supported (or this is a "
                             "SequenceProto, not a TensorProto)");
  uint64_t need;
  if (!shapeBytes(f.dims, dtype, need, problem))
    return fail(error, what, problem);
  uint64_t count = need / sinter_dtype_size(dtype);
  if (packedBits(dtype)) {
    if (!unpackSubByte(f, dtype, count, out.bytes, problem))
      return fail(error, what, problem);
  } else if (f.hasRaw) {
    if (f.rawSize != need)
      return fail(error, what,
                  "raw_data has " + std::to_string(f.rawSize) +
                      " bytes, shape " + formatDims(f.dims) + " of " +
                      sinter_dtype_name(dtype) + " needs " +
                      std::to_string(need));
    out.bytes.assign(f.raw, f.raw + f.rawSize);
  } else if (!typedData(f, dtype, count, out.bytes, problem)) {
    return fail(error, what, problem);
  }
  out.dtype = dtype;
  out.dims = f.dims;
  out.name = f.name;
  return true;
}

bool readTensorProto(const std::string &path, HostTensor &out,
                     std::string &error) {
  std::vector<uint8_t> d;
  return readWholeFile(path, d, error) &&
         parseTensorProto(d.data(), d.size(), path, out, error);
}

bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string &error) {
  if (endsWith(path, ".npy"))
    return readNpy(path, out, error);
  if (endsWith(path, ".pb"))
    return readTensorProto(path, out, error);
  return fail(error, path, "unknown tensor file type (expected .npy or .pb)");
}

} // namespace sinter
