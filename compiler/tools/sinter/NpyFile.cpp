// Reads and writes NumPy .npy tensor files.
//
// Everything here assumes a little-endian host (x86-64, AArch64), as the files
// do: element bytes are copied as they are. No exceptions: this file is built
// into the LLVM-style `sinter` tool, so every failure is a returned message.
#include "TensorFileCommon.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace sinter {
using namespace detail;
namespace {

// NumPy refuses headers over 10 kB by default; allow generous room beyond.
constexpr uint64_t kMaxNpyHeader = 1 << 20;

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
    {"i4", SINTER_I32}, {"i8", SINTER_I64}, {"b1", SINTER_BOOL},
    {"u2", SINTER_U16}, {"u4", SINTER_U32}, {"u8", SINTER_U64}};

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
            "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1, little-endian)";
  return false;
}

} // namespace

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

bool readNpy(const std::string &path, HostTensor &out, std::string &error) {
  std::vector<uint8_t> d;
  return readWholeFile(path, d, error) &&
         parseNpy(d.data(), d.size(), path, out, error);
}

static bool isFloat8(sinter_dtype dtype) {
  return dtype == SINTER_F8E4M3FN || dtype == SINTER_F8E4M3FNUZ ||
         dtype == SINTER_F8E5M2 || dtype == SINTER_F8E5M2FNUZ ||
         dtype == SINTER_F8E8M0;
}

bool serializeNpy(const HostTensor &t, std::vector<uint8_t> &out,
                  std::string &error) {
  // bf16 has no NumPy dtype; it is widened to f32, which holds it exactly.
  // Nor have the 8-bit floats: their bit patterns are stored as u1. The
  // sub-byte types are stored unpacked, as the C API holds them: INT4 and
  // INT2 as i1, UINT4, UINT2 and FLOAT4E2M1's bit pattern as u1.
  sinter_dtype stored =
      t.dtype == SINTER_BF16                                    ? SINTER_F32
      : t.dtype == SINTER_I4 || t.dtype == SINTER_I2            ? SINTER_I8
      : isFloat8(t.dtype) || t.dtype == SINTER_U4 ||
              t.dtype == SINTER_U2 || t.dtype == SINTER_F4E2M1 ? SINTER_U8
                                                                : t.dtype;
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

} // namespace sinter
