// Reads .npy and ONNX TensorProto .pb tensor files, writes .npy, and compares tensors.
//
// Everything here assumes a little-endian host (x86-64, AArch64), as the files
// do: element bytes are copied as they are. No exceptions: this file is built
// into the LLVM-style `sinter` tool, so every failure is a returned message.
#include "TensorIO.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace sinter {
namespace {

// NumPy's own limit (NPY_MAXDIMS); more is a corrupt or hostile file.
constexpr size_t kMaxRank = 64;
// NumPy refuses headers over 10 kB by default; allow generous room beyond.
constexpr uint64_t kMaxNpyHeader = 1 << 20;

bool fail(std::string &error, const std::string &what, const std::string &msg) {
  error = what + ": " + msg;
  return false;
}

// Byte size of `dims` for `dtype`; false with a message when the rank is
// absurd, a dim is negative, or the size overflows.
bool shapeBytes(const std::vector<int64_t> &dims, sinter_dtype dtype,
                uint64_t &bytes, std::string &problem) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  bytes = sinter_dtype_size(dtype);
  if (dims.size() > kMaxRank)
    problem = "rank " + std::to_string(dims.size()) + " exceeds " +
              std::to_string(kMaxRank);
  for (size_t i = 0; i < dims.size() && problem.empty(); ++i) {
    uint64_t d = uint64_t(dims[i]);
    if (dims[i] < 0)
      problem = "negative dimension in shape " + formatDims(dims);
    else if (d != 0 && bytes > max / d)
      problem = "size of shape " + formatDims(dims) + " overflows";
    else
      bytes *= d;
  }
  return problem.empty();
}

bool readWholeFile(const std::string &path, std::vector<uint8_t> &data,
                   std::string &error) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return fail(error, path, std::string("cannot open: ") + std::strerror(errno));
  data.clear();
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof(chunk), f)) > 0)
    data.insert(data.end(), chunk, chunk + n);
  bool bad = std::ferror(f);
  int savedErrno = errno;
  std::fclose(f);
  if (bad)
    return fail(error, path,
                std::string("cannot read: ") + std::strerror(savedErrno));
  return true;
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- .npy header: a Python dict literal with descr, fortran_order, shape. ----

struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

// Parses exactly what NumPy writes (and tolerates its spacing variants); any
// other key or value kind is refused, as NumPy does.
class DictParser {
public:
  explicit DictParser(const std::string &text) : s(text) {}

  bool parse(NpyHeader &h, std::string &problem) {
    unsigned seen = 0;
    if (!eat('{'))
      return bad(problem, "header is not a dict");
    while (!eat('}')) {
      std::string key;
      if (!parseString(key) || !eat(':'))
        return bad(problem, "malformed header dict");
      if (key == "descr" && peek() == '[')
        return bad(problem, "structured dtypes are not supported");
      if (key == "descr" && parseString(h.descr))
        seen |= 1;
      else if (key == "fortran_order" && parseBool(h.fortranOrder))
        seen |= 2;
      else if (key == "shape") {
        if (!parseShape(h.shape, problem))
          return false;
        seen |= 4;
      } else
        return bad(problem, "unexpected key or value '" + key + "' in the header");
      if (!eat(',') && peek() != '}')
        return bad(problem, "expected ',' or '}' in the header");
    }
    if (peek() != '\0')
      return bad(problem, "trailing characters after the header dict");
    if (seen != 7)
      return bad(problem, "header lacks descr, fortran_order or shape");
    return true;
  }

private:
  const std::string &s;
  size_t pos = 0;

  static bool bad(std::string &problem, const std::string &msg) {
    problem = msg;
    return false;
  }
  // The next non-blank character, or '\0' at the end.
  char peek() {
    while (pos < s.size() && std::strchr(" \t\r\n", s[pos]))
      ++pos;
    return pos < s.size() ? s[pos] : '\0';
  }
  bool eat(char c) { return peek() == c && (++pos, true); }
  bool eatWord(const char *w) {
    size_t n = std::strlen(w);
    return peek() && s.compare(pos, n, w) == 0 && (pos += n, true);
  }
  bool parseString(std::string &out) {
    char q = peek();
    size_t end = q == '\'' || q == '"' ? s.find(q, pos + 1) : std::string::npos;
    if (end == std::string::npos)
      return false;
    out = s.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    return true;
  }
  bool parseBool(bool &out) {
    out = eatWord("True");
    return out || eatWord("False");
  }
  bool parseShape(std::vector<int64_t> &shape, std::string &problem) {
    if (!eat('('))
      return bad(problem, "shape is not a tuple");
    while (!eat(')')) {
      if (shape.size() >= kMaxRank)
        return bad(problem, "shape has more than " + std::to_string(kMaxRank) +
                                " dimensions");
      if (peek() == '-')
        return bad(problem, "negative dimension in shape");
      if (peek() < '0' || peek() > '9')
        return bad(problem, "shape holds something other than integers");
      uint64_t v = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        v = v * 10 + uint64_t(s[pos++] - '0');
        if (v > uint64_t(std::numeric_limits<int64_t>::max()))
          return bad(problem, "dimension too large in shape");
      }
      eat('L'); // Python 2 longs, in files written long ago.
      shape.push_back(int64_t(v));
      if (!eat(',') && peek() != ')')
        return bad(problem, "malformed shape tuple");
    }
    return true;
  }
};

// NumPy type codes, without the byte-order character, and what they hold.
struct NpyType {
  const char *code;
  sinter_dtype dtype;
};
constexpr NpyType kNpyTypes[] = {
    {"f4", SINTER_F32}, {"f2", SINTER_F16}, {"f8", SINTER_F64},
    {"i1", SINTER_I8},  {"u1", SINTER_U8},  {"i2", SINTER_I16},
    {"i4", SINTER_I32}, {"i8", SINTER_I64}, {"b1", SINTER_BOOL}};

// NumPy's descr (e.g. "<f4") to a sinter dtype.
bool dtypeFromDescr(const std::string &descr, sinter_dtype &dtype,
                    std::string &problem) {
  bool hasOrder = !descr.empty() && std::strchr("<>|=", descr[0]);
  std::string code = hasOrder ? descr.substr(1) : descr;
  if (!code.empty() && code[0] == 'O') {
    problem = "object arrays are not supported";
    return false;
  }
  for (const NpyType &t : kNpyTypes) {
    if (code != t.code)
      continue;
    if (descr[0] == '>' && sinter_dtype_size(t.dtype) > 1) {
      problem = "big-endian dtype '" + descr + "' is not supported";
      return false;
    }
    dtype = t.dtype;
    return true;
  }
  problem = "unsupported dtype '" + descr +
            "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 b1, little-endian)";
  return false;
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
  } table[] = {{1, SINTER_F32}, {2, SINTER_U8},   {3, SINTER_I8},
               {5, SINTER_I16}, {6, SINTER_I32},  {7, SINTER_I64},
               {9, SINTER_BOOL}, {10, SINTER_F16}, {11, SINTER_F64},
               {16, SINTER_BF16}};
  for (const auto &t : table)
    if (t.code == code)
      return dtype = t.dtype, true;
  static const char *const names[] = {
      "UNDEFINED", "", "", "", "UINT16", "", "", "", "STRING", "", "", "",
      "UINT32", "UINT64", "COMPLEX64", "COMPLEX128"};
  problem = "unsupported data_type " + std::to_string(code);
  if (code >= 0 && code < 16 && *names[code])
    problem += std::string(" (") + names[code] + ")";
  return false;
}

// Fills `bytes` from the typed field that holds `dtype`'s values: f32, f64
// and i64 have their own; the rest live in int32_data, one value each.
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

bool parseNpy(const uint8_t *data, size_t size, const std::string &what,
              HostTensor &out, std::string &error) {
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  size_t prefix = size < 6 ? size : 6;
  if (prefix > 0 && std::memcmp(data, magic, prefix) != 0)
    return fail(error, what, "not a .npy file (bad magic)");
  if (size < 10)
    return fail(error, what, "truncated .npy file (no complete header)");
  // 1.0 has a 16-bit header length; 2.0 and 3.0 (UTF-8 header) a 32-bit one.
  uint8_t major = data[6];
  if (major < 1 || major > 3)
    return fail(error, what,
                "unsupported .npy format version " + std::to_string(major) +
                    "." + std::to_string(data[7]));
  uint64_t headerStart = major == 1 ? 10 : 12;
  if (size < headerStart)
    return fail(error, what, "truncated .npy file (no complete header)");
  uint64_t headerLen = 0;
  for (uint64_t i = headerStart; i-- > 8;)
    headerLen = headerLen << 8 | data[i];
  if (headerLen > kMaxNpyHeader)
    return fail(error, what,
                "header too large (" + std::to_string(headerLen) + " bytes)");
  if (headerStart + headerLen > size)
    return fail(error, what, "truncated .npy file (header cut short)");
  std::string text(reinterpret_cast<const char *>(data + headerStart),
                   size_t(headerLen));
  if (text.find('\0') != std::string::npos)
    return fail(error, what, "NUL byte in the .npy header");

  NpyHeader h;
  std::string problem;
  DictParser parser(text);
  sinter_dtype dtype;
  if (!parser.parse(h, problem) || !dtypeFromDescr(h.descr, dtype, problem))
    return fail(error, what, problem);
  if (h.fortranOrder)
    return fail(error, what,
                "fortran_order True is not supported (NumPy saves transposed "
                "arrays so; save np.ascontiguousarray(a) instead)");
  uint64_t need;
  if (!shapeBytes(h.shape, dtype, need, problem))
    return fail(error, what, problem);
  uint64_t have = size - (headerStart + headerLen);
  if (need != have)
    return fail(error, what,
                std::string(have < need ? "truncated data" : "data size mismatch") +
                    ": shape " + formatDims(h.shape) + " of " +
                    sinter_dtype_name(dtype) + " needs " + std::to_string(need) +
                    " bytes, file has " + std::to_string(have));
  out.dtype = dtype;
  out.dims = h.shape;
  const uint8_t *begin = data + headerStart + headerLen;
  out.bytes.assign(begin, begin + need);
  out.name.clear();
  return true;
}

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
  if (f.hasRaw) {
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

bool readNpy(const std::string &path, HostTensor &out, std::string &error) {
  std::vector<uint8_t> d;
  return readWholeFile(path, d, error) &&
         parseNpy(d.data(), d.size(), path, out, error);
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

bool serializeNpy(const HostTensor &t, std::vector<uint8_t> &out,
                  std::string &error) {
  // bf16 has no NumPy dtype; it is widened to f32, which holds it exactly.
  sinter_dtype stored = t.dtype == SINTER_BF16 ? SINTER_F32 : t.dtype;
  const char *code = nullptr;
  for (const NpyType &n : kNpyTypes)
    if (n.dtype == stored)
      code = n.code;
  if (!code)
    return fail(error, "tensor", "unknown dtype " + std::to_string(int(t.dtype)));
  std::string descr = (sinter_dtype_size(stored) == 1 ? "|" : "<") + std::string(code);
  uint64_t need;
  std::string problem;
  if (!shapeBytes(t.dims, t.dtype, need, problem))
    return fail(error, "tensor", problem);
  if (need != t.bytes.size())
    return fail(error, "tensor",
                "holds " + std::to_string(t.bytes.size()) + " bytes, shape " +
                    formatDims(t.dims) + " of " + sinter_dtype_name(t.dtype) +
                    " needs " + std::to_string(need));
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.dims.size(); ++i)
    header += (i ? ", " : "") + std::to_string(t.dims[i]);
  // A one-element tuple needs its comma: (3,).
  header += t.dims.size() == 1 ? ",), }" : "), }";
  // Pad with spaces so that the data starts 64-byte aligned, as NumPy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  static const uint8_t magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.assign(magic, magic + 8);
  out.push_back(uint8_t(header.size() & 0xff));
  out.push_back(uint8_t(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  if (t.dtype != SINTER_BF16) {
    out.insert(out.end(), t.bytes.begin(), t.bytes.end());
    return true;
  }
  for (size_t i = 0; i + 1 < t.bytes.size(); i += 2) {
    float v = bfloat16ToFloat(uint16_t(t.bytes[i] | t.bytes[i + 1] << 8));
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    out.insert(out.end(), b, b + 4);
  }
  return true;
}

bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error) {
  std::vector<uint8_t> data;
  if (!serializeNpy(tensor, data, error)) {
    error = path + ": cannot write: " + error;
    return false;
  }
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return fail(error, path, std::string("cannot create: ") + std::strerror(errno));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  int savedErrno = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok)
    return fail(error, path,
                std::string("cannot write: ") + std::strerror(savedErrno));
  return true;
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
