// ONNX ops that pick or replicate elements: Gather, Expand, Tile, DepthToSpace and SpaceToDepth.
#include "frontend/onnx/Importer.h"

#include "mlir/Dialect/Traits.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

LogicalResult importGather(NodeContext &node) {
  FailureOr<RankedTensorType> dataType = node.inputType(0);
  FailureOr<RankedTensorType> indicesType = node.inputType(1);
  int64_t attrAxis = node.intAttr("axis", 0);
  if (failed(dataType) || failed(indicesType) || node.hadError())
    return failure();
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, dataType->getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = dataType->getDimSize(*axis);

  Value indices;
  if (DenseElementsAttr known = node.constantInput(1)) {
    if (!isa<IntegerType>(known.getElementType()))
      return node.emitError() << "indices must be integers, got "
                              << known.getType();
    // Constant indices are checked and normalized here, so a bad index is a
    // compile-time error instead of a silently clamped read.
    SmallVector<int64_t> values = toInt64s(known);
    for (int64_t &index : values) {
      int64_t original = index;
      if (index < 0)
        index += dim;
      if (index < 0 || index >= dim)
        return node.emitError() << "index " << original
                                << " is out of range for axis " << *axis
                                << " of size " << dim;
    }
    ArrayRef<int64_t> indicesShape = known.getType().getShape();
    DenseElementsAttr data = node.constantInput(0);
    if (isFoldable(data) &&
        data.getNumElements() / std::max<int64_t>(dim, 1) * values.size() <=
            kMaxFoldElements) {
      node.setConstantOutput(0, foldGather(data, values, indicesShape, *axis));
      return success();
    }
    indices = node.constant(makeIntAttr(
        values, indicesShape, IntegerType::get(node.context(), 64)));
  } else {
    FailureOr<Value> runtime = node.input(1);
    if (failed(runtime))
      return failure();
    indices = *runtime;
  }
  FailureOr<Value> data = node.input(0);
  if (failed(data))
    return failure();
  FailureOr<Value> result = node.create<sd::GatherOp>(*data, indices, *axis);
  return node.setOutput(0, result);
}

LogicalResult importExpand(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  FailureOr<SmallVector<int64_t>> target = node.constantInts(1, "shape");
  if (failed(target))
    return failure();
  SmallVector<int64_t> shape;
  if (llvm::any_of(*target,
                   [](int64_t d) { return d < 0 || d > kMaxTensorElements; }) ||
      !OpTrait::util::getBroadcastedShape(type->getShape(), *target, shape))
    return node.emitError() << "cannot expand " << *type << " to ["
                            << *target << "]";
  DenseElementsAttr known = node.constantInput(0);
  if (shape == type->getShape()) {
    if (known) {
      node.setConstantOutput(0, known);
      return success();
    }
    FailureOr<Value> input = node.input(0);
    if (failed(input))
      return failure();
    node.setOutput(0, *input);
    return success();
  }
  Type element = type->getElementType();
  auto resultType = RankedTensorType::get(shape, element);
  if (isFoldable(known) && isa<IntegerType>(element) &&
      resultType.getNumElements() <= kMaxFoldElements) {
    SmallVector<int64_t> zeros(resultType.getNumElements(), 0);
    FailureOr<DenseElementsAttr> folded = foldIntElementwise(
        {known, makeIntAttr(zeros, shape, element)}, element,
        [](ArrayRef<int64_t> v) -> std::optional<int64_t> { return v[0]; });
    if (succeeded(folded) && *folded) {
      node.setConstantOutput(0, *folded);
      return success();
    }
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  // Broadcasting against a splat of ones materializes the expansion with the
  // ops the dialect has; x * 1 is exact for every element type.
  Value ones = node.constant(
      DenseElementsAttr::get(resultType, scalarAttr(element, 1.0)));
  FailureOr<Value> result = node.create<sd::MulOp>(*input, ones);
  return node.setOutput(0, result);
}

LogicalResult importTile(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> repeats = node.constantInts(1, "repeats");
  if (failed(repeats))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return node.emitError() << "repeats [" << *repeats << "] does not match "
                            << "the rank of " << type;
  Value result = *input;
  for (auto [axis, count] : llvm::enumerate(*repeats)) {
    if (count < 1 || count > 4096)
      return node.emitError() << "repeat count " << count
                              << " is not supported";
    if (count == 1)
      continue;
    SmallVector<Value> copies(count, result);
    FailureOr<Value> joined =
        node.create<sd::ConcatOp>(copies, static_cast<int64_t>(axis));
    if (failed(joined))
      return failure();
    result = *joined;
  }
  node.setOutput(0, result);
  return success();
}

/// DepthToSpace and SpaceToDepth: a reshape that splits blocks out, a
/// transpose that moves them, and a reshape that merges them back.
LogicalResult importBlockShuffle(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> block = node.requiredIntAttr("blocksize");
  if (failed(input) || failed(block))
    return failure();
  std::string mode = node.stringAttr("mode", "DCR");
  if (node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() != 4 || *block < 1 || *block > kMaxWindowValue)
    return node.emitError() << node.opType()
                            << " expects a 4-D input and a positive "
                               "blocksize, got "
                            << type << " and " << *block;
  int64_t b = *block, n = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  SmallVector<int64_t> split, perm, merged;
  if (node.opType() == "DepthToSpace") {
    if (c % (b * b) != 0)
      return node.emitError() << "channels " << c
                              << " do not divide by blocksize^2 " << b * b;
    if (mode == "DCR") {
      split = {n, b, b, c / (b * b), h, w};
      perm = {0, 3, 4, 1, 5, 2};
    } else if (mode == "CRD") {
      split = {n, c / (b * b), b, b, h, w};
      perm = {0, 1, 4, 2, 5, 3};
    } else {
      return node.emitError() << "unknown mode '" << mode << "'";
    }
    merged = {n, c / (b * b), h * b, w * b};
  } else {
    if (h % b != 0 || w % b != 0)
      return node.emitError() << "spatial size " << h << "x" << w
                              << " does not divide by blocksize " << b;
    split = {n, c, h / b, b, w / b, b};
    // Newer opsets give SpaceToDepth DepthToSpace's modes; DCR was the only
    // behaviour before.
    if (mode == "DCR")
      perm = {0, 3, 5, 1, 2, 4};
    else if (mode == "CRD")
      perm = {0, 1, 3, 5, 2, 4};
    else
      return node.emitError() << "unknown mode '" << mode << "'";
    merged = {n, c * b * b, h / b, w / b};
  }
  FailureOr<Value> blocks = node.reshape(*input, split);
  if (failed(blocks))
    return failure();
  FailureOr<Value> moved = node.create<sd::TransposeOp>(*blocks, perm);
  if (failed(moved))
    return failure();
  FailureOr<Value> result = node.reshape(*moved, merged);
  return node.setOutput(0, result);
}

} // namespace

void registerIndexingImporters(ImporterTable &table) {
  table["Gather"] = {importGather, 1};
  table["Expand"] = {importExpand, 8};
  table["Tile"] = {importTile, 6};
  table["DepthToSpace"] = {importBlockShuffle, 1};
  table["SpaceToDepth"] = {importBlockShuffle, 1};
}

} // namespace sinter::onnx_import
