// ONNX ops that read or write elements by index: GatherElements, GatherND, ScatterElements, ScatterND, Scatter, TensorScatter, and Compress of a constant condition.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// When input `i` (indices) is a compile-time constant, every index must lie
/// in [-size, size) of the dimension it addresses, `sizeAt(flat position)`:
/// a bad constant index is the model's bug, reported now rather than clamped
/// (gathers) or dropped (scatters) at run time.
LogicalResult checkConstantIndices(NodeContext &node, unsigned i,
                                   function_ref<int64_t(int64_t)> sizeAt) {
  DenseElementsAttr known = node.constantInput(i);
  if (!known)
    return success();
  for (auto [position, index] : llvm::enumerate(toInt64s(known))) {
    int64_t size = sizeAt(position);
    if (index < -size || index >= size)
      return node.emitError() << "index " << index << " (element " << position
                              << " of indices) is out of range for a "
                                 "dimension of size "
                              << size;
  }
  return success();
}

/// Inputs 0..count-1 as values, failing if any is missing.
FailureOr<SmallVector<Value>> inputs(NodeContext &node, unsigned count) {
  SmallVector<Value> values;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> value = node.input(i);
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return values;
}

/// Indices must be int32 or int64 tensors, as ONNX requires.
LogicalResult checkIndexType(NodeContext &node, Value indices) {
  Type element = cast<RankedTensorType>(indices.getType()).getElementType();
  if (element.isSignlessInteger(32) || element.isSignlessInteger(64))
    return success();
  return node.emitError() << "indices must be int32 or int64, got "
                          << indices.getType();
}

/// The attribute `reduction`, which the opset may not have yet.
FailureOr<std::string> readReduction(NodeContext &node) {
  std::string reduction = node.stringAttr("reduction", "none");
  if (node.hadError())
    return failure();
  int64_t since = reduction == "add" || reduction == "mul" ? 16
                  : reduction == "max" || reduction == "min" ? 18
                                                              : 0;
  if (reduction != "none" && since == 0)
    return node.emitError() << "unknown reduction '" << reduction
                            << "' (expected none, add, mul, max or min)";
  if (node.opset() < since)
    return node.emitError() << "reduction '" << reduction
                            << "' needs opset " << since << " (the model has "
                            << node.opset() << ")";
  return reduction;
}

LogicalResult importGatherElements(NodeContext &node) {
  FailureOr<SmallVector<Value>> operands = inputs(node, 2);
  int64_t attrAxis = node.intAttr("axis", 0);
  if (failed(operands) || node.hadError())
    return failure();
  Value data = (*operands)[0], indices = (*operands)[1];
  auto dataType = cast<RankedTensorType>(data.getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, dataType.getRank(), "axis");
  if (failed(axis) || failed(checkIndexType(node, indices)) ||
      failed(checkConstantIndices(node, 1, [&](int64_t) {
        return dataType.getDimSize(*axis);
      })))
    return failure();
  return node.setOutput(
      0, node.create<sd::GatherElementsOp>(data, indices, *axis));
}

LogicalResult importGatherND(NodeContext &node) {
  FailureOr<SmallVector<Value>> operands = inputs(node, 2);
  int64_t batchDims = node.intAttr("batch_dims", 0);
  if (failed(operands) || node.hadError())
    return failure();
  Value data = (*operands)[0], indices = (*operands)[1];
  auto dataType = cast<RankedTensorType>(data.getType());
  auto indicesType = cast<RankedTensorType>(indices.getType());
  if (failed(checkIndexType(node, indices)))
    return failure();
  if (indicesType.getRank() >= 1) {
    int64_t m = indicesType.getShape().back();
    if (failed(checkConstantIndices(node, 1, [&](int64_t position) {
          int64_t d = batchDims + position % m;
          return d < dataType.getRank() ? dataType.getDimSize(d) : 0;
        })))
      return failure();
  }
  return node.setOutput(
      0, node.create<sd::GatherNDOp>(data, indices, batchDims));
}

/// ScatterElements and its opset 9-10 name, Scatter (no reduction).
LogicalResult importScatterElements(NodeContext &node) {
  FailureOr<SmallVector<Value>> operands = inputs(node, 3);
  int64_t attrAxis = node.intAttr("axis", 0);
  FailureOr<std::string> reduction = readReduction(node);
  if (failed(operands) || failed(reduction) || node.hadError())
    return failure();
  Value data = (*operands)[0], indices = (*operands)[1],
        updates = (*operands)[2];
  auto dataType = cast<RankedTensorType>(data.getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, dataType.getRank(), "axis");
  if (failed(axis) || failed(checkIndexType(node, indices)) ||
      failed(checkConstantIndices(node, 1, [&](int64_t) {
        return dataType.getDimSize(*axis);
      })))
    return failure();
  return node.setOutput(0, node.create<sd::ScatterElementsOp>(
                               data, indices, updates, *axis, *reduction));
}

LogicalResult importScatterND(NodeContext &node) {
  FailureOr<SmallVector<Value>> operands = inputs(node, 3);
  FailureOr<std::string> reduction = readReduction(node);
  if (failed(operands) || failed(reduction))
    return failure();
  Value data = (*operands)[0], indices = (*operands)[1],
        updates = (*operands)[2];
  auto dataType = cast<RankedTensorType>(data.getType());
  auto indicesType = cast<RankedTensorType>(indices.getType());
  if (failed(checkIndexType(node, indices)))
    return failure();
  if (indicesType.getRank() >= 1) {
    int64_t m = indicesType.getShape().back();
    if (failed(checkConstantIndices(node, 1, [&](int64_t position) {
          int64_t d = position % m;
          return d < dataType.getRank() ? dataType.getDimSize(d) : 0;
        })))
      return failure();
  }
  return node.setOutput(0, node.create<sd::ScatterNDOp>(data, indices, updates,
                                                        *reduction));
}

/// Compress keeps the slices whose condition is true. Only a compile-time
/// condition is supported, since it decides the result's shape; it becomes a
/// gather of constant indices.
LogicalResult importCompress(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  FailureOr<DenseElementsAttr> condition =
      node.requiredConstant(1, "condition");
  if (failed(condition))
    return failure();
  if (condition->getType().getRank() != 1)
    return node.emitError() << "condition must be 1-D, got "
                            << condition->getType();
  std::optional<int64_t> axis;
  if (node.hasAttr("axis")) {
    FailureOr<int64_t> given = node.requiredIntAttr("axis");
    if (failed(given))
      return failure();
    FailureOr<int64_t> normalized =
        normalizeAxisAt(node, *given, type->getRank(), "axis");
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  int64_t size = axis ? type->getDimSize(*axis) : type->getNumElements();
  // Booleans and numbers alike: non-zero selects (numpy's compress).
  SmallVector<int64_t> kept;
  for (auto [position, element] :
       llvm::enumerate(condition->getValues<Attribute>())) {
    ElementNumber number = numberOf(element);
    if (number.isFloat ? number.f == 0.0 : number.i == 0)
      continue;
    if (static_cast<int64_t>(position) >= size)
      return node.emitError() << "condition selects position " << position
                              << ", beyond the " << size
                              << " slices of the input";
    kept.push_back(position);
  }
  SmallVector<int64_t> flat = {type->getNumElements()};
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known)) {
    if (!axis)
      known = known.reshape(known.getType().clone(flat));
    node.setConstantOutput(
        0, foldGather(known, kept, {static_cast<int64_t>(kept.size())},
                      axis.value_or(0)));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Value data = *input;
  if (!axis) {
    FailureOr<Value> flattened = node.reshape(data, flat);
    if (failed(flattened))
      return failure();
    data = *flattened;
  }
  Value indices = node.constant(
      makeIntAttr(kept, {static_cast<int64_t>(kept.size())},
                  IntegerType::get(node.context(), 64)));
  return node.setOutput(
      0, node.create<sd::GatherOp>(data, indices, axis.value_or(0)));
}

/// TensorScatter writes `update` into a key-value cache at each batch entry's
/// write index (wrapping around in "circular" mode). It is built as a pull:
/// cache position t of batch b reads update position s = t - write[b] (mod
/// the cache length when circular) where 0 <= s < update length, and keeps
/// the cache elsewhere. Every element is computed independently, and a write
/// index out of range changes nothing rather than writing outside.
LogicalResult importTensorScatter(NodeContext &node) {
  FailureOr<SmallVector<Value>> operands = inputs(node, 2);
  FailureOr<Value> writeInput = node.optionalInput(2);
  std::string mode = node.stringAttr("mode", "linear");
  int64_t attrAxis = node.intAttr("axis", -2);
  if (failed(operands) || failed(writeInput) || node.hadError())
    return failure();
  if (mode != "linear" && mode != "circular")
    return node.emitError() << "unknown mode '" << mode
                            << "' (expected linear or circular)";
  Value cache = (*operands)[0], update = (*operands)[1];
  auto cacheType = cast<RankedTensorType>(cache.getType());
  auto updateType = cast<RankedTensorType>(update.getType());
  int64_t rank = cacheType.getRank();
  FailureOr<int64_t> axis = normalizeAxisAt(node, attrAxis, rank, "axis");
  if (failed(axis))
    return failure();
  if (*axis == 0)
    return node.emitError() << "axis 0 is the batch dimension; the sequence "
                               "axis must come after it";
  bool shapesFit = updateType.getRank() == rank &&
                   updateType.getElementType() == cacheType.getElementType();
  for (int64_t d = 0; shapesFit && d < rank; ++d)
    shapesFit = d == *axis
                    ? updateType.getDimSize(d) <= cacheType.getDimSize(d)
                    : updateType.getDimSize(d) == cacheType.getDimSize(d);
  if (!shapesFit)
    return node.emitError() << "update " << updateType
                            << " does not fit the cache " << cacheType
                            << " along axis " << *axis;
  int64_t length = cacheType.getDimSize(*axis);
  int64_t steps = updateType.getDimSize(*axis);
  if (steps == 0) {
    node.setOutput(0, cache);
    return success();
  }

  Type i64 = IntegerType::get(node.context(), 64);
  SmallVector<int64_t> positions(length), batchShape(rank, 1),
      positionShape(rank, 1);
  for (int64_t t = 0; t < length; ++t)
    positions[t] = t;
  positionShape[*axis] = length;
  batchShape[0] = cacheType.getDimSize(0);
  Value offset = node.constant(makeIntAttr(positions, positionShape, i64));
  if (*writeInput) {
    auto writeType = cast<RankedTensorType>(writeInput->getType());
    if (writeType.getRank() != 1 ||
        writeType.getDimSize(0) != batchShape[0] ||
        !isa<IntegerType>(writeType.getElementType()))
      return node.emitError() << "write_indices must be an integer tensor of "
                              << batchShape[0] << " elements, got "
                              << writeType;
    FailureOr<Value> write = node.convert(*writeInput, i64);
    if (failed(write))
      return failure();
    FailureOr<Value> column = node.reshape(*write, batchShape);
    if (failed(column))
      return failure();
    FailureOr<Value> shifted = node.create<sd::SubOp>(offset, *column);
    if (failed(shifted))
      return failure();
    offset = *shifted;
  }
  FailureOr<Value> valid = failure();
  if (mode == "circular") {
    FailureOr<Value> wrapped =
        node.create<sd::ModOp>(offset, node.scalar(i64, length), false);
    if (failed(wrapped))
      return failure();
    offset = *wrapped;
    valid = node.create<sd::CompareOp>(offset, node.scalar(i64, steps),
                                       StringRef("lt"));
  } else {
    FailureOr<Value> above = node.create<sd::CompareOp>(
        offset, node.scalar(i64, 0), StringRef("ge"));
    FailureOr<Value> below = node.create<sd::CompareOp>(
        offset, node.scalar(i64, steps), StringRef("lt"));
    if (failed(above) || failed(below))
      return failure();
    valid = node.create<sd::BitwiseAndOp>(*above, *below);
  }
  if (failed(valid))
    return failure();
  // The read position, clamped into the update and spread to the cache's
  // shape as GatherElements needs (the broadcast fuses into the gather).
  FailureOr<Value> low = node.create<sd::MaxOp>(offset, node.scalar(i64, 0));
  if (failed(low))
    return failure();
  FailureOr<Value> clamped =
      node.create<sd::MinOp>(*low, node.scalar(i64, steps - 1));
  if (failed(clamped))
    return failure();
  Value ones = node.constant(DenseElementsAttr::get(
      RankedTensorType::get(cacheType.getShape(), i64), scalarAttr(i64, 1.0)));
  FailureOr<Value> readAt = node.create<sd::MulOp>(*clamped, ones);
  if (failed(readAt))
    return failure();
  FailureOr<Value> gathered =
      node.create<sd::GatherElementsOp>(update, *readAt, *axis);
  if (failed(gathered))
    return failure();
  return node.setOutput(0, node.create<sd::SelectOp>(*valid, *gathered, cache));
}

} // namespace

void registerGatherScatterImporters(ImporterTable &table) {
  table["GatherElements"] = {importGatherElements, 11};
  table["GatherND"] = {importGatherND, 11};
  table["ScatterElements"] = {importScatterElements, 11};
  table["Scatter"] = {importScatterElements, 9};
  table["ScatterND"] = {importScatterND, 11};
  table["Compress"] = {importCompress, 9};
  table["TensorScatter"] = {importTensorScatter, 24};
}

} // namespace sinter::onnx_import
