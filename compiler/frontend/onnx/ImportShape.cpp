// Data-movement ONNX ops whose shapes are static: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Slice, Split.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// Sets the node's output to `input` (or its constant) viewed as `shape`:
/// the common tail of every reshape-like op.
LogicalResult finishReshape(NodeContext &node, ArrayRef<int64_t> shape) {
  if (DenseElementsAttr known = node.constantInput(0); isFoldable(known)) {
    node.setConstantOutput(
        0, known.reshape(known.getType().clone(shape)));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.reshape(*input, shape);
  return node.setOutput(0, result);
}

LogicalResult importReshape(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  FailureOr<SmallVector<int64_t>> requested = node.constantInts(1, "shape");
  bool allowZero = node.opset() >= 14 && node.intAttr("allowzero", 0) != 0;
  if (failed(type) || failed(requested) || node.hadError())
    return failure();
  ArrayRef<int64_t> in = type->getShape();
  SmallVector<int64_t> shape;
  std::optional<size_t> inferred;
  int64_t known = 1;
  for (auto [i, dim] : llvm::enumerate(*requested)) {
    if (dim == 0 && !allowZero) {
      // 0 copies the input's dimension at the same position.
      if (i >= in.size())
        return node.emitError() << "shape [" << *requested << "] copies input "
                                << "dimension " << i << " with 0, but the "
                                << "input " << *type << " has rank "
                                << in.size();
      dim = in[i];
    } else if (dim == -1) {
      if (inferred)
        return node.emitError()
               << "shape [" << *requested << "] has more than one -1";
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (dim < 0) {
      return node.emitError()
             << "shape [" << *requested << "] has negative dimension " << dim;
    }
    if (dim > 0 && known > (int64_t(1) << 48) / dim)
      return node.emitError() << "shape [" << *requested << "] is too large";
    known *= dim;
    shape.push_back(dim);
  }
  int64_t total = type->getNumElements();
  if (inferred) {
    if (known == 0 || total % known != 0)
      return node.emitError() << "cannot reshape " << *type << " to ["
                              << *requested << "]: -1 has no whole size";
    shape[*inferred] = total / known;
  } else if (known != total) {
    return node.emitError() << "cannot reshape " << *type << " ("
                            << total << " elements) to [" << shape << "] ("
                            << known << " elements)";
  }
  return finishReshape(node, shape);
}

LogicalResult importFlatten(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  int64_t axis = node.intAttr("axis", 1);
  if (failed(type) || node.hadError())
    return failure();
  int64_t rank = type->getRank();
  if (axis < -rank || axis > rank)
    return node.emitError() << "axis " << axis << " is out of range for rank "
                            << rank;
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> shape = type->getShape();
  return finishReshape(node, {product(shape.take_front(axis)),
                              product(shape.drop_front(axis))});
}

LogicalResult importSqueeze(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  SmallVector<int64_t> axes;
  if (node.opset() < 13) {
    axes = node.intsAttr("axes");
  } else if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "axes");
    if (failed(given))
      return failure();
    axes = *given;
  }
  if (node.hadError())
    return failure();
  int64_t rank = type->getRank();
  SmallVector<bool> drop(rank, false);
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = type->getDimSize(d) == 1;
  for (int64_t axis : axes) {
    FailureOr<int64_t> d = normalizeAxisAt(node, axis, rank, "axis");
    if (failed(d))
      return failure();
    if (type->getDimSize(*d) != 1)
      return node.emitError() << "cannot squeeze dimension " << *d << " of "
                              << *type << ": its size is not 1";
    drop[*d] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(type->getDimSize(d));
  return finishReshape(node, shape);
}

LogicalResult importUnsqueeze(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  FailureOr<SmallVector<int64_t>> axes =
      node.opset() < 13 ? node.requiredIntsAttr("axes")
                        : node.constantInts(1, "axes");
  if (failed(axes))
    return failure();
  int64_t rank = type->getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> d = normalizeAxisAt(node, axis, rank, "axis");
    if (failed(d))
      return failure();
    if (inserted[*d])
      return node.emitError() << "axes [" << *axes << "] repeat an axis";
    inserted[*d] = true;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : type->getDimSize(next++));
  return finishReshape(node, shape);
}

LogicalResult importTranspose(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  SmallVector<int64_t> perm = node.intsAttr("perm");
  if (failed(type) || node.hadError())
    return failure();
  int64_t rank = type->getRank();
  if (!node.hasAttr("perm"))
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (static_cast<int64_t>(perm.size()) != rank || p < 0 || p >= rank ||
        seen[p])
      return node.emitError() << "perm [" << perm
                              << "] is not a permutation of the dimensions of "
                              << *type;
    seen[p] = true;
  }
  if (DenseElementsAttr known = node.constantInput(0); isFoldable(known)) {
    node.setConstantOutput(0, foldTranspose(known, perm));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.create<sd::TransposeOp>(*input, perm);
  return node.setOutput(0, result);
}

LogicalResult importConcat(NodeContext &node) {
  FailureOr<int64_t> axis = node.requiredIntAttr("axis");
  if (failed(axis))
    return failure();
  if (node.numInputs() == 0)
    return node.emitError() << "Concat needs at least one input";
  // Fold when every input is a small constant that agrees with the others;
  // anything else goes to the op, whose inference reports the mismatch.
  SmallVector<DenseElementsAttr> parts;
  for (unsigned i = 0; i < node.numInputs(); ++i)
    if (DenseElementsAttr known = node.constantInput(i); isFoldable(known))
      parts.push_back(known);
  if (parts.size() == node.numInputs()) {
    ShapedType first = parts.front().getType();
    FailureOr<int64_t> d = normalizeAxisAt(node, *axis, first.getRank(), "axis");
    if (failed(d))
      return failure();
    bool agree = llvm::all_of(parts, [&](DenseElementsAttr part) {
      ShapedType type = part.getType();
      if (type.getElementType() != first.getElementType() ||
          type.getRank() != first.getRank())
        return false;
      for (int64_t k = 0; k < type.getRank(); ++k)
        if (k != *d && type.getDimSize(k) != first.getDimSize(k))
          return false;
      return true;
    });
    if (agree) {
      node.setConstantOutput(0, foldConcat(parts, *d));
      return success();
    }
  }
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < node.numInputs(); ++i) {
    FailureOr<Value> input = node.input(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  FailureOr<int64_t> normalized = normalizeAxisAt(
      node, *axis, cast<RankedTensorType>(inputs.front().getType()).getRank(),
      "axis");
  if (failed(normalized))
    return failure();
  FailureOr<Value> result = node.create<sd::ConcatOp>(inputs, *normalized);
  return node.setOutput(0, result);
}

/// A static slice: one start, size and step per dimension.
struct SliceBox {
  SmallVector<int64_t> starts, sizes, steps;
};

/// Emits the slice `box` of input 0 as output `output`, folding constants.
LogicalResult emitSlice(NodeContext &node, const SliceBox &box,
                        unsigned output) {
  if (DenseElementsAttr known = node.constantInput(0); isFoldable(known)) {
    node.setConstantOutput(
        output, foldSlice(known, box.starts, box.sizes, box.steps));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result =
      node.create<sd::SliceOp>(*input, box.starts, box.sizes, box.steps);
  if (failed(result))
    return failure();
  node.setOutput(output, *result);
  return success();
}

LogicalResult importSlice(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (node.opset() < 10) {
    FailureOr<SmallVector<int64_t>> s = node.requiredIntsAttr("starts");
    if (failed(s))
      return failure();
    FailureOr<SmallVector<int64_t>> e = node.requiredIntsAttr("ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    axes = node.intsAttr("axes");
  } else {
    FailureOr<SmallVector<int64_t>> s = node.constantInts(1, "starts");
    if (failed(s))
      return failure();
    FailureOr<SmallVector<int64_t>> e = node.constantInts(2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    for (unsigned i : {3u, 4u}) {
      if (!node.hasInput(i))
        continue;
      FailureOr<SmallVector<int64_t>> v =
          node.constantInts(i, i == 3 ? "axes" : "steps");
      if (failed(v))
        return failure();
      (i == 3 ? axes : steps) = *v;
    }
  }
  if (node.hadError())
    return failure();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return node.emitError() << "starts, ends, axes and steps differ in length";

  SliceBox box{SmallVector<int64_t>(rank, 0),
               SmallVector<int64_t>(type->getShape()),
               SmallVector<int64_t>(rank, 1)};
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxisAt(node, axes[i], rank, "axis");
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return node.emitError() << "axes [" << axes << "] repeat an axis";
    seen[*axis] = true;
    // A step beyond the dimension takes one element, like any step that big;
    // clamping keeps -step from overflowing.
    int64_t dim = type->getDimSize(*axis);
    int64_t step = std::clamp<int64_t>(steps[i], -INT64_MAX, INT64_MAX);
    if (step == 0)
      return node.emitError() << "slice step 0 on axis " << *axis;
    int64_t start = starts[i], end = ends[i];
    if (start < 0)
      start += dim;
    if (end < 0)
      end += dim;
    int64_t size = 0;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      if (end > start)
        size = (end - start - 1) / step + 1;
    } else if (dim > 0) {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      if (start > end)
        size = (start - end - 1) / -step + 1;
    }
    box.starts[*axis] = size > 0 ? start : 0;
    box.sizes[*axis] = size;
    box.steps[*axis] = size > 0 ? step : 1;
  }
  return emitSlice(node, box, 0);
}

LogicalResult importSplit(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  int64_t attrAxis = node.intAttr("axis", 0);
  if (failed(type) || node.hadError())
    return failure();
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, type->getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type->getDimSize(*axis);
  int64_t parts = node.numOutputs();
  SmallVector<int64_t> sizes;
  if (node.opset() < 13) {
    sizes = node.intsAttr("split");
  } else if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "split");
    if (failed(given))
      return failure();
    sizes = *given;
  }
  if (node.opset() >= 18 && node.hasAttr("num_outputs") &&
      node.intAttr("num_outputs", parts) != parts)
    return node.emitError() << "num_outputs disagrees with the node's "
                            << parts << " outputs";
  if (node.hadError())
    return failure();
  if (sizes.empty()) {
    if (parts < 1)
      return node.emitError() << "Split needs at least one output";
    // Opset 18 lets the last part be smaller; before, parts must be equal.
    int64_t each = (dim + parts - 1) / parts;
    if (node.opset() < 18 && dim % parts != 0)
      return node.emitError() << "cannot split dimension " << *axis
                              << " of size " << dim << " into " << parts
                              << " equal parts";
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::clamp<int64_t>(dim - i * each, 0, each));
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return node.emitError() << "split sizes must be non-negative";
    total += size;
  }
  if (total != dim || sizes.size() != node.numOutputs())
    return node.emitError() << "split sizes [" << sizes << "] do not divide "
                            << "dimension " << *axis << " of " << *type
                            << " into " << node.numOutputs() << " outputs";
  int64_t offset = 0;
  for (unsigned i = 0; i < node.numOutputs(); ++i) {
    SliceBox box{SmallVector<int64_t>(type->getRank(), 0),
                 SmallVector<int64_t>(type->getShape()),
                 SmallVector<int64_t>(type->getRank(), 1)};
    box.starts[*axis] = sizes[i] > 0 ? offset : 0;
    box.sizes[*axis] = sizes[i];
    offset += sizes[i];
    if (failed(emitSlice(node, box, i)))
      return failure();
  }
  return success();
}

} // namespace

void registerShapeImporters(ImporterTable &table) {
  table["Reshape"] = {importReshape, 5};
  table["Flatten"] = {importFlatten, 1};
  table["Squeeze"] = {importSqueeze, 1};
  table["Unsqueeze"] = {importUnsqueeze, 1};
  table["Transpose"] = {importTranspose, 1};
  table["Concat"] = {importConcat, 4};
  table["Slice"] = {importSlice, 1};
  table["Split"] = {importSplit, 2};
}

} // namespace sinter::onnx_import
