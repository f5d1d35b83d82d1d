// BitCast (opset 26): each element's bits reinterpreted as another type of the same width.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// Bits an element occupies in an ONNX tensor: a bool is a byte.
unsigned storageBits(Type element) {
  unsigned bits = element.getIntOrFloatBitWidth();
  return bits == 1 ? 8 : bits;
}

LogicalResult importBitCast(NodeContext &node) {
  FailureOr<int64_t> code = node.requiredIntAttr("to");
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(code) || failed(type))
    return failure();
  Type to = convertElementType(node.context(), *code);
  if (!to || !to.isIntOrFloat())
    return node.emitError() << "BitCast to " << dataTypeName(*code)
                            << " is not supported";
  Type from = type->getElementType();
  if (!from.isIntOrFloat())
    return node.emitError() << "BitCast of " << from
                            << " tensors is not supported";
  if (storageBits(from) != storageBits(to))
    return node.emitError() << "BitCast from " << from << " to " << to
                            << " changes the element width ("
                            << storageBits(from) << " to " << storageBits(to)
                            << " bits)";
  // Dense attributes pack bools as bits, so only other types fold.
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known) && !from.isInteger(1) && !to.isInteger(1)) {
    node.setConstantOutput(0, known.bitcast(to));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  if (from == to)
    return node.setOutput(0, input);
  return node.setOutput(
      0, node.createTyped<sd::BitCastOp>(type->clone(to), *input));
}

} // namespace

void registerBitCastImporters(ImporterTable &table) {
  table["BitCast"] = {importBitCast, 26};
}

} // namespace sinter::onnx_import
