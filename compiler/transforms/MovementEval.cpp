// Compile-time evaluation of the data-movement ops (byte copies, no arithmetic) and of the reductions.
#include "transforms/ConstantData.h"
#include "transforms/Evaluate.h"

#include "sinter/Dialect/SinterOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;

namespace mlir::sinter::fold {

namespace {

DenseElementsAttr evaluateTranspose(TransposeOp op, DenseElementsAttr input,
                                    RankedTensorType type) {
  SmallVector<int64_t> inStrides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> strides;
  for (int64_t p : op.getPerm())
    strides.push_back(inStrides[p]);
  ElementBytes bytes(input);
  return fromBytes(type, stridedCopy(bytes, type.getShape(), strides, 0));
}

DenseElementsAttr evaluateSlice(SliceOp op, DenseElementsAttr input,
                                RankedTensorType type) {
  SmallVector<int64_t> inStrides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> strides;
  int64_t base = 0;
  for (auto [stride, start, step] :
       llvm::zip(inStrides, op.getStarts(), op.getSteps())) {
    strides.push_back(stride * step);
    base += stride * start;
  }
  ElementBytes bytes(input);
  return fromBytes(type, stridedCopy(bytes, type.getShape(), strides, base));
}

/// Indices wrap once when negative and are then clamped, as in the lowering,
/// so that no index reads outside the data.
DenseElementsAttr evaluateGather(GatherOp op, DenseElementsAttr data,
                                 DenseElementsAttr indices,
                                 RankedTensorType type) {
  ArrayRef<int64_t> shape = data.getType().getShape();
  FailureOr<int64_t> axis = normalizeAxis(op.getAxis(), shape.size());
  if (failed(axis))
    return {};
  int64_t outer = numElements(shape.take_front(*axis));
  int64_t inner = numElements(shape.drop_front(*axis + 1));
  int64_t dim = shape[*axis];
  ElementReader reader(indices);
  SmallVector<int64_t> picks;
  for (int64_t i = 0, e = indices.getNumElements(); i < e; ++i) {
    int64_t index = reader.getInt(i);
    if (index < 0)
      index += dim;
    picks.push_back(std::clamp<int64_t>(index, 0, dim - 1));
  }
  ElementBytes bytes(data);
  size_t chunk = inner * bytes.width;
  std::vector<char> result;
  result.reserve(outer * picks.size() * chunk);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t pick : picks) {
      const char *from = bytes.data.data() + (o * dim + pick) * chunk;
      result.insert(result.end(), from, from + chunk);
    }
  return fromBytes(type, result);
}

DenseElementsAttr evaluateConcat(ConcatOp op,
                                 ArrayRef<DenseElementsAttr> inputs,
                                 RankedTensorType type) {
  FailureOr<int64_t> axis = normalizeAxis(op.getAxis(), type.getRank());
  if (failed(axis))
    return {};
  std::vector<ElementBytes> parts;
  parts.reserve(inputs.size());
  for (DenseElementsAttr input : inputs)
    parts.emplace_back(input);
  int64_t outer = numElements(type.getShape().take_front(*axis));
  std::vector<char> result;
  result.reserve(type.getNumElements() * parts.front().width);
  for (int64_t o = 0; o < outer; ++o)
    for (auto [input, part] : llvm::zip(inputs, parts)) {
      size_t chunk =
          numElements(input.getType().getShape().drop_front(*axis)) *
          part.width;
      const char *from = part.data.data() + o * chunk;
      result.insert(result.end(), from, from + chunk);
    }
  return fromBytes(type, result);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class Reduce { Sum, Mean, Max };

/// The low `width` bits of `value`, sign-extended: where an integer
/// accumulator of the element type would have wrapped.
int64_t wrapTo(Type element, int64_t value) {
  auto integer = cast<IntegerType>(element);
  unsigned width = integer.getWidth();
  if (width >= 64)
    return value;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t low = static_cast<uint64_t>(value) & mask;
  if (integer.isUnsigned() || width == 1 || !(low >> (width - 1)))
    return static_cast<int64_t>(low);
  return static_cast<int64_t>(low | ~mask);
}

/// The lowest value of an integer element type (0 if unsigned or i1), where
/// the lowering starts a max.
int64_t lowestInt(Type element) {
  auto integer = cast<IntegerType>(element);
  unsigned width = integer.getWidth();
  if (integer.isUnsigned() || width == 1)
    return 0;
  if (width == 64)
    return std::numeric_limits<int64_t>::min();
  return -(int64_t(1) << (width - 1));
}

/// Sums in f64 (floats) or with wrap-around (integers); a mean divides the
/// sum by the count (truncating for integers); a max lets NaN win.
DenseElementsAttr evaluateReduce(Reduce kind, ArrayRef<int64_t> axes,
                                 DenseElementsAttr input,
                                 RankedTensorType type) {
  ArrayRef<int64_t> shape = input.getType().getShape();
  Type element = type.getElementType();
  bool floating = isa<FloatType>(element);
  // Each input element's offset in the result: reduced dimensions stride 0.
  SmallVector<int64_t> kept;
  for (int64_t d = 0, e = shape.size(); d < e; ++d)
    if (!llvm::is_contained(axes, d))
      kept.push_back(shape[d]);
  SmallVector<int64_t> keptStrides = stridesOf(kept);
  SmallVector<int64_t> strides(shape.size(), 0), own = stridesOf(shape);
  for (int64_t d = 0, k = 0, e = shape.size(); d < e; ++d)
    if (!llvm::is_contained(axes, d))
      strides[d] = keptStrides[k++];
  int64_t results = type.getNumElements(), count = 1;
  for (int64_t axis : axes)
    count *= shape[axis];
  if (!floating && kind == Reduce::Mean && count == 0)
    return {};

  double lowest = -std::numeric_limits<double>::infinity();
  std::vector<double> floats(results, kind == Reduce::Max ? lowest : 0.0);
  std::vector<int64_t> ints(results, kind == Reduce::Max
                                         ? lowestInt(element)
                                         : 0);
  ElementReader reader(input);
  walk(shape, {strides, own}, [&](ArrayRef<int64_t> at) {
    int64_t to = at[0], from = at[1];
    if (floating) {
      double x = reader.getFloat(from);
      double &acc = floats[to];
      acc = kind == Reduce::Max ? maximumF(acc, x) : acc + x;
    } else {
      int64_t x = reader.getInt(from);
      int64_t &acc = ints[to];
      acc = kind == Reduce::Max
                ? std::max(acc, x)
                : static_cast<int64_t>(static_cast<uint64_t>(acc) +
                                       static_cast<uint64_t>(x));
    }
    return true;
  });
  ElementWriter out(type);
  for (int64_t i = 0; i < results; ++i) {
    if (floating) {
      out.setFloat(i, kind == Reduce::Mean
                          ? floats[i] / static_cast<double>(count)
                          : floats[i]);
      continue;
    }
    int64_t value = ints[i];
    if (kind != Reduce::Max)
      value = wrapTo(element, value);
    if (kind == Reduce::Mean)
      value /= count;
    out.setInt(i, value);
  }
  return out.finish();
}

} // namespace

DenseElementsAttr evaluateMovement(Operation *op,
                                   ArrayRef<DenseElementsAttr> operands,
                                   RankedTensorType type) {
  DenseElementsAttr first = operands.front();
  // Whatever moves, a splat stays the same splat.
  if (first.isSplat() && isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp,
                             TransposeOp, SliceOp, GatherOp>(op))
    return first.resizeSplat(type);
  if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op))
    return first.reshape(type);
  return llvm::TypeSwitch<Operation *, DenseElementsAttr>(op)
      .Case([&](TransposeOp transpose) {
        return evaluateTranspose(transpose, operands.front(), type);
      })
      .Case([&](SliceOp slice) {
        return evaluateSlice(slice, operands.front(), type);
      })
      .Case([&](GatherOp gather) {
        return evaluateGather(gather, operands[0], operands[1], type);
      })
      .Case([&](ConcatOp concat) {
        return evaluateConcat(concat, operands, type);
      })
      .Case([&](ReduceSumOp reduce) {
        return evaluateReduce(Reduce::Sum, reduce.getAxes(), operands.front(),
                              type);
      })
      .Case([&](ReduceMeanOp reduce) {
        return evaluateReduce(Reduce::Mean, reduce.getAxes(), operands.front(),
                              type);
      })
      .Case([&](ReduceMaxOp reduce) {
        return evaluateReduce(Reduce::Max, reduce.getAxes(), operands.front(),
                              type);
      })
      .Default([](Operation *) { return DenseElementsAttr(); });
}

} // namespace mlir::sinter::fold
