// Element access on constant tensors for the graph folds: reading, writing and moving DenseElementsAttr data without an Attribute per element.
#ifndef SINTER_TRANSFORMS_CONSTANTDATA_H
#define SINTER_TRANSFORMS_CONSTANTDATA_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace mlir::sinter::fold {

/// The element types the readers and writers handle: f16, bf16, f32, f64,
/// i1, i8, i16, i32, i64, ui8, ui16, ui32.
bool isSupportedElement(Type element);

/// The number of elements of `shape`.
int64_t numElements(ArrayRef<int64_t> shape);

/// Row-major strides of `shape`, in elements.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape);

/// Strides of an operand of shape `operand` read as if broadcast (numpy
/// style, aligned from the right) to `result`: 0 along broadcast dimensions.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> operand,
                                      ArrayRef<int64_t> result);

/// Walks `shape` in row-major order. For each element calls `fn` with one
/// offset per entry of `strides`: the dot product of the element's index with
/// those strides. Stops early, returning false, when `fn` does.
bool walk(ArrayRef<int64_t> shape, ArrayRef<SmallVector<int64_t>> strides,
          function_ref<bool(ArrayRef<int64_t> offsets)> fn);

/// arith.maximumf and arith.minimumf on doubles: NaN wins, +0 is above -0.
double maximumF(double a, double b);
double minimumF(double a, double b);

/// Reads the elements of a constant: floats as double, integers as int64_t
/// (sign-extended, or zero-extended for unsigned types and i1). A splat reads
/// the same element at every index. Large tensors are read in place.
class ElementReader {
public:
  explicit ElementReader(DenseElementsAttr attr);

  bool isFloat() const { return floating; }
  double getFloat(int64_t i) const;
  int64_t getInt(int64_t i) const;

private:
  enum class Kind { F16, BF16, F32, F64, I1, I8, U8, U16, U32, I16, I32, I64 };
  const char *at(int64_t i) const {
    const char *base = kind == Kind::I1 ? bools.data() : data;
    return base + (splat ? 0 : i) * static_cast<int64_t>(width);
  }

  Kind kind;
  bool floating, splat;
  unsigned width;
  const char *data;         // raw storage, unless i1
  std::vector<char> bools; // i1 elements, one byte each
};

/// Builds a constant of `type` element by element.
class ElementWriter {
public:
  explicit ElementWriter(RankedTensorType type);

  /// Rounds `value` to the nearest element value, ties to even.
  void setFloat(int64_t i, double value);
  /// An integer into a float element, rounded once (not through double).
  void setFloatFromInt(int64_t i, int64_t value);
  /// Keeps the low bits of `value` that fit the integer element type.
  void setInt(int64_t i, int64_t value);

  DenseElementsAttr finish() const;

private:
  RankedTensorType type;
  unsigned width;
  std::vector<char> bytes;
};

/// A constant's elements as bytes, `width` bytes each in row-major order:
/// read in place where possible, with splats expanded and i1 one byte each.
struct ElementBytes {
  explicit ElementBytes(DenseElementsAttr attr);
  // `data` may point into `storage`, whose buffer a move keeps.
  ElementBytes(ElementBytes &&) = default;
  ElementBytes(const ElementBytes &) = delete;
  ArrayRef<char> data;
  unsigned width;
  std::vector<char> storage;
};

/// A constant of `type` from `width`-byte elements in row-major order.
DenseElementsAttr fromBytes(RankedTensorType type, ArrayRef<char> bytes);

/// Copies one element per index of `shape` from `source` at offset
/// `base + index . strides` (in elements of `width` bytes).
std::vector<char> stridedCopy(const ElementBytes &source,
                              ArrayRef<int64_t> shape,
                              const SmallVector<int64_t> &strides,
                              int64_t base);

} // namespace mlir::sinter::fold

#endif // SINTER_TRANSFORMS_CONSTANTDATA_H
