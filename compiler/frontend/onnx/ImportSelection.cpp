// ONNX ops that select by value or position: ArgMax/ArgMin, TopK, Hardmax, OneHot, CumSum/CumProd, Trilu, EyeLike, ReverseSequence, and NonZero/Unique of constants.
#include "frontend/onnx/Importer.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <cstring>
#include <map>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

Type i64Type(NodeContext &node) { return IntegerType::get(node.context(), 64); }

/// Input `i` as one compile-time integer (a scalar or a one-element tensor).
FailureOr<int64_t> constantScalar(NodeContext &node, unsigned i,
                                  StringRef what) {
  FailureOr<SmallVector<int64_t>> values = node.constantInts(i, what);
  if (failed(values))
    return failure();
  if (values->size() != 1)
    return node.emitError() << what << " must be a single value, got "
                            << values->size();
  return values->front();
}

/// `[0, 1, ..., size - 1]` as i64, laid out along `axis` of a `rank`-D shape
/// whose other dimensions are 1, to broadcast against positions.
Value iotaAlong(NodeContext &node, int64_t size, int64_t axis, int64_t rank) {
  SmallVector<int64_t> values(size), shape(rank, 1);
  for (int64_t i = 0; i < size; ++i)
    values[i] = i;
  shape[axis] = size;
  return node.constant(makeIntAttr(values, shape, i64Type(node)));
}

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, TopK, Hardmax
//===----------------------------------------------------------------------===//

template <typename OpTy> LogicalResult importArg(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  int64_t attrAxis = node.intAttr("axis", 0);
  bool keepdims = node.intAttr("keepdims", 1) != 0;
  bool last = node.intAttr("select_last_index", 0) != 0;
  if (failed(input) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  return node.setOutput(0, node.create<OpTy>(*input, *axis, keepdims, last));
}

LogicalResult importTopK(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  int64_t attrAxis = node.intAttr("axis", -1);
  bool largest = node.intAttr("largest", 1) != 0;
  // sorted = 0 leaves the order open; sorted output is always valid.
  (void)node.intAttr("sorted", 1);
  if (failed(input) || node.hadError())
    return failure();
  int64_t k;
  if (node.opset() < 10) {
    FailureOr<int64_t> given = node.requiredIntAttr("k");
    if (failed(given))
      return failure();
    k = *given;
  } else {
    FailureOr<int64_t> given = constantScalar(node, 1, "k");
    if (failed(given))
      return failure();
    k = *given;
  }
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  if (k < 0 || k > type.getDimSize(*axis))
    return node.emitError() << "k = " << k << " is outside [0, "
                            << type.getDimSize(*axis) << "] for axis "
                            << *axis << " of " << type;
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = k;
  auto op = sd::TopKOp::create(node.builder(), node.loc(), type.clone(shape),
                               type.clone(shape, i64Type(node)), *input, *axis,
                               k, largest);
  if (failed(mlir::verify(op))) {
    op->erase();
    return failure();
  }
  node.setOutput(0, op.getValues());
  node.setOutput(1, op.getIndices());
  return success();
}

/// Hardmax: 1 at the first maximum along the axis, 0 elsewhere. Before opset
/// 13 the input is seen as a matrix split before `axis` (default 1) and each
/// row is one softmax-like group; from 13 the group is the one axis
/// (default -1).
LogicalResult importHardmax(NodeContext &node) {
  bool coerced = node.opset() < 13;
  FailureOr<Value> input = node.input(0);
  int64_t attrAxis = node.intAttr("axis", coerced ? 1 : -1);
  if (failed(input) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  Value x = *input;
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis = normalizeAxisAt(node, attrAxis, rank, "axis");
  if (failed(axis))
    return failure();
  if (coerced) {
    int64_t rows = product(type.getShape().take_front(*axis));
    FailureOr<Value> matrix =
        node.reshape(x, {rows, product(type.getShape().drop_front(*axis))});
    if (failed(matrix))
      return failure();
    x = *matrix;
    axis = 1;
  }
  auto xType = cast<RankedTensorType>(x.getType());
  if (xType.getDimSize(*axis) == 0)
    return node.setOutput(0, node.reshape(x, type.getShape()));
  FailureOr<Value> best = node.create<sd::ArgMaxOp>(x, *axis, true, false);
  if (failed(best))
    return failure();
  Value positions =
      iotaAlong(node, xType.getDimSize(*axis), *axis, xType.getRank());
  FailureOr<Value> hot =
      node.create<sd::CompareOp>(*best, positions, StringRef("eq"));
  if (failed(hot))
    return failure();
  FailureOr<Value> result = node.convert(*hot, type.getElementType());
  if (failed(result))
    return failure();
  return node.setOutput(0, node.reshape(*result, type.getShape()));
}

//===----------------------------------------------------------------------===//
// OneHot
//===----------------------------------------------------------------------===//

/// OneHot: `values[1]` where the (wrapped) index equals the position along
/// the new axis, `values[0]` elsewhere; indices out of [-depth, depth) match
/// nothing.
LogicalResult importOneHot(NodeContext &node) {
  FailureOr<Value> indicesInput = node.input(0);
  FailureOr<DenseElementsAttr> depthAttr = node.requiredConstant(1, "depth");
  FailureOr<Value> values = node.input(2);
  int64_t attrAxis = node.intAttr("axis", -1);
  if (failed(indicesInput) || failed(depthAttr) || failed(values) ||
      node.hadError())
    return failure();
  if (depthAttr->getNumElements() != 1)
    return node.emitError() << "depth must be a single value, got "
                            << depthAttr->getType();
  // Depth may be of any numeric type; a float is truncated, as by a Cast.
  ElementNumber number = numberOf(*depthAttr->getValues<Attribute>().begin());
  double depthValue = number.isFloat ? std::trunc(number.f) : number.i;
  if (!(depthValue >= 1 && depthValue <= double(kMaxTensorElements)))
    return node.emitError() << "depth must be at least 1, got " << depthValue;
  int64_t depth = static_cast<int64_t>(depthValue);
  auto valuesType = cast<RankedTensorType>(values->getType());
  if (valuesType.getNumElements() != 2)
    return node.emitError() << "values must hold [off_value, on_value], got "
                            << valuesType;
  auto indicesType = cast<RankedTensorType>(indicesInput->getType());
  int64_t rank = indicesType.getRank();
  FailureOr<int64_t> axis = normalizeAxisAt(node, attrAxis, rank + 1, "axis");
  if (failed(axis))
    return failure();

  Type i64 = i64Type(node);
  FailureOr<Value> indices = node.convert(*indicesInput, i64);
  if (failed(indices))
    return failure();
  FailureOr<Value> negative =
      node.create<sd::CompareOp>(*indices, node.scalar(i64, 0), StringRef("lt"));
  if (failed(negative))
    return failure();
  FailureOr<Value> shifted =
      node.create<sd::AddOp>(*indices, node.scalar(i64, depth));
  if (failed(shifted))
    return failure();
  FailureOr<Value> wrapped =
      node.create<sd::SelectOp>(*negative, *shifted, *indices);
  if (failed(wrapped))
    return failure();
  SmallVector<int64_t> expanded(indicesType.getShape());
  expanded.insert(expanded.begin() + *axis, 1);
  FailureOr<Value> column = node.reshape(*wrapped, expanded);
  if (failed(column))
    return failure();
  FailureOr<Value> hot = node.create<sd::CompareOp>(
      *column, iotaAlong(node, depth, *axis, rank + 1), StringRef("eq"));
  if (failed(hot))
    return failure();

  FailureOr<Value> flat = node.reshape(*values, {2});
  if (failed(flat))
    return failure();
  auto pick = [&](int64_t i) -> FailureOr<Value> {
    FailureOr<Value> one = node.create<sd::SliceOp>(
        *flat, ArrayRef<int64_t>{i}, ArrayRef<int64_t>{1},
        ArrayRef<int64_t>{1});
    if (failed(one))
      return failure();
    return node.reshape(*one, {});
  };
  FailureOr<Value> off = pick(0), on = pick(1);
  if (failed(off) || failed(on))
    return failure();
  return node.setOutput(0, node.create<sd::SelectOp>(*hot, *on, *off));
}

//===----------------------------------------------------------------------===//
// CumSum, CumProd
//===----------------------------------------------------------------------===//

template <typename OpTy> LogicalResult importScan(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  bool exclusive = node.intAttr("exclusive", 0) != 0;
  bool reverse = node.intAttr("reverse", 0) != 0;
  if (failed(input) || node.hadError())
    return failure();
  FailureOr<int64_t> given = constantScalar(node, 1, "axis");
  if (failed(given))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, *given, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  return node.setOutput(
      0, node.create<OpTy>(*input, *axis, exclusive, reverse));
}

//===----------------------------------------------------------------------===//
// Trilu and EyeLike
//===----------------------------------------------------------------------===//

/// Trilu of a constant (typically a causal mask), which may be large: the
/// elements are copied as bytes rather than as attributes.
DenseElementsAttr foldTrilu(DenseElementsAttr input, bool upper, int64_t k) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t n = type.getNumElements();
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  auto keep = [&](int64_t index) {
    int64_t i = (index / cols) % rows, j = index % cols;
    return upper ? j - i >= k : j - i <= k;
  };
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values(input.getValues<bool>());
    for (int64_t index = 0; index < n; ++index)
      values[index] = values[index] && keep(index);
    return DenseElementsAttr::get(type, values);
  }
  size_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = input.getRawData();
  std::vector<char> buffer(n * bytes);
  for (int64_t index = 0; index < n; ++index) {
    char *slot = buffer.data() + index * bytes;
    if (!keep(index))
      std::memset(slot, 0, bytes); // +0 and integer 0 alike
    else
      std::memcpy(slot, raw.data() + (input.isSplat() ? 0 : index * bytes),
                  bytes);
  }
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(buffer.data(), buffer.size()));
}

/// The largest constant Trilu folds; bigger ones run at run time.
constexpr int64_t kMaxTriluFold = int64_t(1) << 26;

LogicalResult importTrilu(NodeContext &node) {
  bool upper = node.intAttr("upper", 1) != 0;
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type) || node.hadError())
    return failure();
  int64_t k = 0;
  if (node.hasInput(1)) {
    FailureOr<int64_t> given = constantScalar(node, 1, "k");
    if (failed(given))
      return failure();
    k = *given;
  }
  if (type->getRank() < 2)
    return node.emitError() << "Trilu needs a tensor of rank 2 or more, got "
                            << *type;
  DenseElementsAttr known = node.constantInput(0);
  if (known && known.getNumElements() <= kMaxTriluFold) {
    node.setConstantOutput(0, foldTrilu(known, upper, k));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  return node.setOutput(0, node.create<sd::TriluOp>(*input, k, upper));
}

/// EyeLike: ones on diagonal `k` of a matrix shaped like the input. Small
/// ones are constants; large ones are two triangles of a splat of ones, so
/// no large constant is stored.
LogicalResult importEyeLike(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  int64_t k = node.intAttr("k", 0);
  if (failed(type) || node.hadError())
    return failure();
  Type element = type->getElementType();
  if (node.hasAttr("dtype")) {
    int64_t dtype = node.intAttr("dtype", 0);
    if (node.hadError())
      return failure();
    element = convertElementType(node.context(), dtype);
    if (!element)
      return node.emitError() << "dtype " << dataTypeName(dtype)
                              << " is not supported";
  }
  if (type->getRank() != 2)
    return node.emitError() << "EyeLike needs a 2-D input, got " << *type;
  auto resultType = RankedTensorType::get(type->getShape(), element);
  auto ones =
      DenseElementsAttr::get(resultType, scalarAttr(element, 1.0));
  if (resultType.getNumElements() <= kMaxFoldElements) {
    node.setConstantOutput(0, foldTrilu(foldTrilu(ones, true, k), false, k));
    return success();
  }
  FailureOr<Value> upper =
      node.create<sd::TriluOp>(node.constant(ones), k, true);
  if (failed(upper))
    return failure();
  return node.setOutput(0, node.create<sd::TriluOp>(*upper, k, false));
}

//===----------------------------------------------------------------------===//
// ReverseSequence
//===----------------------------------------------------------------------===//

LogicalResult importReverseSequence(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<Value> lens = node.input(1);
  int64_t batchAxis = node.intAttr("batch_axis", 1);
  int64_t timeAxis = node.intAttr("time_axis", 0);
  if (failed(input) || failed(lens) || node.hadError())
    return failure();
  Type element = cast<RankedTensorType>(lens->getType()).getElementType();
  if (!element.isSignlessInteger(64) && !element.isSignlessInteger(32))
    return node.emitError() << "sequence_lens must be int64, got "
                            << lens->getType();
  return node.setOutput(0, node.create<sd::ReverseSequenceOp>(
                               *input, *lens, batchAxis, timeAxis));
}

//===----------------------------------------------------------------------===//
// NonZero and Unique: their result shapes depend on the data, so they are
// supported on compile-time inputs only, and folded.
//===----------------------------------------------------------------------===//

/// The most elements NonZero and Unique fold.
constexpr int64_t kMaxDataDependentFold = int64_t(1) << 22;

FailureOr<DenseElementsAttr> dataDependentInput(NodeContext &node) {
  FailureOr<DenseElementsAttr> known = node.requiredConstant(0, "input");
  if (failed(known))
    return failure();
  if (known->getNumElements() > kMaxDataDependentFold)
    return node.emitError() << node.opType() << " of " << known->getType()
                            << " is too large to evaluate at compile time";
  return known;
}

LogicalResult importNonZero(NodeContext &node) {
  FailureOr<DenseElementsAttr> input = dataDependentInput(node);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = input->getType().getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> hits;
  for (auto [flat, element] : llvm::enumerate(input->getValues<Attribute>())) {
    ElementNumber number = numberOf(element);
    if (number.isFloat ? number.f != 0.0 : number.i != 0)
      hits.push_back(flat);
  }
  // Row d lists the d-th coordinate of every hit, in row-major order.
  int64_t count = hits.size();
  SmallVector<int64_t> coordinates(rank * count);
  for (int64_t h = 0; h < count; ++h) {
    int64_t rest = hits[h];
    for (int64_t d = rank - 1; d >= 0; --d) {
      coordinates[d * count + h] = rest % shape[d];
      rest /= shape[d];
    }
  }
  node.setConstantOutput(0,
                         makeIntAttr(coordinates, {rank, count}, i64Type(node)));
  return success();
}

/// Orders slices lexicographically by value, numpy's order for unique: NaNs
/// after every number and equal to each other (as numpy's equal_nan), which
/// keeps the order strict and weak.
struct SliceLess {
  bool isFloat;
  static bool less(const ElementNumber &x, const ElementNumber &y,
                   bool isFloat) {
    if (!isFloat)
      return x.i < y.i;
    if (std::isnan(x.f) || std::isnan(y.f))
      return !std::isnan(x.f) && std::isnan(y.f);
    return x.f < y.f;
  }
  bool operator()(ArrayRef<ElementNumber> a, ArrayRef<ElementNumber> b) const {
    for (auto [x, y] : llvm::zip(a, b)) {
      if (less(x, y, isFloat))
        return true;
      if (less(y, x, isFloat))
        return false;
    }
    return false;
  }
};

/// Unique: the distinct slices along `axis` (of the flattened input without
/// one), sorted or in order of first occurrence, with the first index of
/// each, each input slice's position among them, and their counts.
LogicalResult importUnique(NodeContext &node) {
  FailureOr<DenseElementsAttr> input = dataDependentInput(node);
  bool sorted = node.intAttr("sorted", 1) != 0;
  if (failed(input) || node.hadError())
    return failure();
  DenseElementsAttr data = *input;
  int64_t axis = 0;
  if (node.hasAttr("axis")) {
    FailureOr<int64_t> given = node.requiredIntAttr("axis");
    if (failed(given))
      return failure();
    FailureOr<int64_t> normalized = normalizeAxisAt(
        node, *given, data.getType().getRank(), "axis");
    if (failed(normalized))
      return failure();
    axis = *normalized;
  } else {
    data = data.reshape(data.getType().clone({data.getNumElements()}));
  }
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t outer = product(shape.take_front(axis));
  int64_t count = shape[axis];
  int64_t inner = product(shape.drop_front(axis + 1));
  SmallVector<ElementNumber> numbers;
  for (Attribute element : data.getValues<Attribute>())
    numbers.push_back(numberOf(element));
  // Slice s gathers elements (o, s, i) in row-major order of (o, i).
  SmallVector<SmallVector<ElementNumber>> slices(count);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t s = 0; s < count; ++s)
      for (int64_t i = 0; i < inner; ++i)
        slices[s].push_back(numbers[(o * count + s) * inner + i]);

  SliceLess less{isa<FloatType>(data.getElementType())};
  std::map<ArrayRef<ElementNumber>, int64_t, SliceLess> firstOf(less);
  SmallVector<int64_t> firsts; // in order of first occurrence
  for (int64_t s = 0; s < count; ++s)
    if (firstOf.try_emplace(slices[s], s).second)
      firsts.push_back(s);
  if (sorted) {
    firsts.clear();
    for (auto &entry : firstOf)
      firsts.push_back(entry.second);
  }
  int64_t unique = firsts.size();
  DenseMap<int64_t, int64_t> rankOfFirst;
  for (auto [rank, first] : llvm::enumerate(firsts))
    rankOfFirst[first] = rank;
  SmallVector<int64_t> inverse(count), counts(unique, 0);
  for (int64_t s = 0; s < count; ++s) {
    int64_t rank = rankOfFirst[firstOf.find(slices[s])->second];
    inverse[s] = rank;
    ++counts[rank];
  }
  Type i64 = i64Type(node);
  node.setConstantOutput(0, foldGather(data, firsts, {unique}, axis));
  node.setConstantOutput(1, makeIntAttr(firsts, {unique}, i64));
  node.setConstantOutput(2, makeIntAttr(inverse, {count}, i64));
  node.setConstantOutput(3, makeIntAttr(counts, {unique}, i64));
  return success();
}

} // namespace

void registerSelectionImporters(ImporterTable &table) {
  table["ArgMax"] = {importArg<sd::ArgMaxOp>, 1};
  table["ArgMin"] = {importArg<sd::ArgMinOp>, 1};
  table["TopK"] = {importTopK, 1};
  table["Hardmax"] = {importHardmax, 1};
  table["OneHot"] = {importOneHot, 9};
  table["CumSum"] = {importScan<sd::CumSumOp>, 11};
  table["CumProd"] = {importScan<sd::CumProdOp>, 26};
  table["Trilu"] = {importTrilu, 14};
  table["EyeLike"] = {importEyeLike, 9};
  table["ReverseSequence"] = {importReverseSequence, 10};
  table["NonZero"] = {importNonZero, 9};
  table["Unique"] = {importUnique, 11};
}

} // namespace sinter::onnx_import
