// DequantizeLinear as a cast, a subtraction of the zero point and a multiplication by the scale (per tensor or per axis).
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

LogicalResult importDequantizeLinear(NodeContext &node) {
  int64_t attrAxis = node.intAttr("axis", 1);
  int64_t blockSize = node.intAttr("block_size", 0);
  FailureOr<Value> x = node.input(0), scale = node.input(1);
  FailureOr<Value> zeroPoint = node.optionalInput(2);
  if (failed(x) || failed(scale) || failed(zeroPoint) || node.hadError())
    return failure();
  if (blockSize != 0)
    return node.emitError() << "blocked dequantization (block_size "
                            << blockSize << ") is not supported";
  auto xType = cast<RankedTensorType>(x->getType());
  auto scaleType = cast<RankedTensorType>(scale->getType());
  Type element = scaleType.getElementType();
  if (!isa<FloatType>(element) || scaleType.getRank() > 1)
    return node.emitError() << "x_scale must be a float scalar or vector, got "
                            << scaleType;
  if (node.hasAttr("output_dtype")) {
    Type wanted =
        convertElementType(node.context(), node.intAttr("output_dtype", 0));
    if (wanted != element)
      return node.emitError() << "output_dtype other than x_scale's type is "
                                 "not supported";
  }
  // A per-axis scale [C] broadcasts as [C, 1, ..., 1] against x.
  SmallVector<int64_t> paramShape;
  if (scaleType.getRank() == 1) {
    FailureOr<int64_t> axis =
        normalizeAxisAt(node, attrAxis, xType.getRank(), "axis");
    if (failed(axis))
      return failure();
    paramShape.assign(xType.getRank() - *axis, 1);
    paramShape[0] = scaleType.getDimSize(0);
  }
  FailureOr<Value> result = node.convert(*x, element);
  if (failed(result))
    return failure();
  if (*zeroPoint) {
    FailureOr<Value> zero = node.convert(*zeroPoint, element);
    if (succeeded(zero))
      zero = node.reshape(*zero, paramShape);
    if (succeeded(zero))
      result = node.create<sd::SubOp>(*result, *zero);
    if (failed(result) || failed(zero))
      return failure();
  }
  FailureOr<Value> factor = node.reshape(*scale, paramShape);
  if (failed(factor))
    return failure();
  result = node.create<sd::MulOp>(*result, *factor);
  return node.setOutput(0, result);
}

} // namespace

void registerQuantImporters(ImporterTable &table) {
  table["DequantizeLinear"] = {importDequantizeLinear, 10};
}

} // namespace sinter::onnx_import
