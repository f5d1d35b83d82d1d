// Tensor files for `sinter run`: NumPy .npy and ONNX TensorProto .pb in, .npy out, and comparison.
#ifndef SINTER_TOOLS_SINTER_TENSORIO_H
#define SINTER_TOOLS_SINTER_TENSORIO_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sinter/sinter.h"

namespace sinter {

/// A dense, row-major tensor in host memory, owning its bytes (little-endian,
/// sinter_dtype_size(dtype) bytes per element; bool is one byte, 0 or 1).
struct HostTensor {
  sinter_dtype dtype = SINTER_F32;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes;
  /// The TensorProto's name for a .pb file; empty for .npy.
  std::string name;

  /// The product of dims (1 for a scalar).
  int64_t numElements() const;
  /// A view for sinter_session_run; valid while this tensor is alive and
  /// neither dims nor bytes are resized.
  sinter_tensor view();
};

/// Every reader and writer returns false with `error` set to one line naming
/// the file and the problem; on success `error` is left untouched. Malformed
/// or hostile files (truncated, huge or negative dims, element counts that
/// overflow, sizes that disagree with the shape) are refused, never trusted.

/// Reads a .npy file (format 1.0, 2.0 or 3.0; little-endian f4 f8 f2 i1 u1
/// i2 i4 i8 b1; C order).
bool readNpy(const std::string &path, HostTensor &out, std::string &error);
/// Reads a serialized onnx.TensorProto (.pb), raw_data or typed fields.
bool readTensorProto(const std::string &path, HostTensor &out,
                     std::string &error);
/// Dispatches on the extension: .npy or .pb.
bool readTensorFile(const std::string &path, HostTensor &out,
                    std::string &error);
/// Writes a .npy file (format 1.0, C order). bf16 has no NumPy dtype and is
/// written as f32, which holds every bf16 value exactly.
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

/// The in-memory halves of the readers, for tests and for data that is not in
/// a file. `what` names the source in messages (usually the path).
bool parseNpy(const uint8_t *data, size_t size, const std::string &what,
              HostTensor &out, std::string &error);
bool parseTensorProto(const uint8_t *data, size_t size,
                      const std::string &what, HostTensor &out,
                      std::string &error);
/// The bytes writeNpy puts in a file.
bool serializeNpy(const HostTensor &tensor, std::vector<uint8_t> &out,
                  std::string &error);

/// The result of comparing an actual tensor with an expected one.
struct CompareResult {
  /// Non-empty when the tensors cannot be compared (dtype or dims differ, or
  /// bytes disagree with dims); the numbers below are meaningless then.
  std::string error;
  /// Whether every element satisfies |a - e| <= atol + rtol * |e|; NaN matches
  /// only NaN, an infinity only the same infinity.
  bool allClose = false;
  /// Largest |a - e| and |a - e| / |e| over elements that are not both NaN
  /// nor the same infinity (+inf where one side is NaN or infinite and the
  /// other is not; relative error is +inf where e == 0 != a).
  double maxAbsError = 0;
  double maxRelError = 0;
  /// Flat (row-major) index of the element furthest past its tolerance, or
  /// of the largest |a - e| when all are close; -1 for empty tensors.
  int64_t worstIndex = -1;
  /// Elements outside tolerance.
  int64_t numMismatches = 0;
};

CompareResult compareTensors(const HostTensor &expected,
                             const HostTensor &actual, double atol,
                             double rtol);

/// Element `i` of `t` as a double (f16/bf16 decoded, bool as 0/1). `i` must
/// be in range.
double elementAsDouble(const HostTensor &t, int64_t i);
/// IEEE half and bfloat16 bit patterns to float.
float halfToFloat(uint16_t bits);
float bfloat16ToFloat(uint16_t bits);

/// "[1,3,224,224]", for messages.
std::string formatDims(const std::vector<int64_t> &dims);

} // namespace sinter

#endif // SINTER_TOOLS_SINTER_TENSORIO_H
