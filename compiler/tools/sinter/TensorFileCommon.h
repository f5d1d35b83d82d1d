// Private helpers shared by the tensor file readers, writers and comparison.
#ifndef SINTER_TOOLS_SINTER_TENSORFILECOMMON_H
#define SINTER_TOOLS_SINTER_TENSORFILECOMMON_H

#include "TensorIO.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace sinter {
namespace detail {

// NumPy's own limit (NPY_MAXDIMS); more is a corrupt or hostile file.
constexpr size_t kMaxRank = 64;

inline bool fail(std::string &error, const std::string &what,
                 const std::string &msg) {
  error = what + ": " + msg;
  return false;
}

// Byte size of `dims` for `dtype`; false with a message when the rank is
// absurd, a dim is negative, or the size overflows.
inline bool shapeBytes(const std::vector<int64_t> &dims, sinter_dtype dtype,
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

inline bool readWholeFile(const std::string &path, std::vector<uint8_t> &data,
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

} // namespace detail
} // namespace sinter

#endif // SINTER_TOOLS_SINTER_TENSORFILECOMMON_H
