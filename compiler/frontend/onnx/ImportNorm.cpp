// Normalization ONNX ops: BatchNormalization, LayerNormalization, InstanceNormalization, Softmax and LogSoftmax.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

LogicalResult importBatchNorm(NodeContext &node) {
  if (node.opset() < 9 && node.intAttr("spatial", 1) == 0)
    return node.emitError()
           << "BatchNormalization with spatial=0 is not supported";
  if (node.intAttr("training_mode", 0) != 0)
    return node.emitError() << "BatchNormalization with training_mode=1 is "
                               "not supported; export the model for inference";
  if (failed(node.refuseOutputsFrom(
          1, "Sinter imports BatchNormalization for inference, which "
             "produces no running statistics")))
    return failure();
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  FailureOr<Value> x = node.input(0);
  if (failed(x) || node.hadError())
    return failure();
  Type element = cast<RankedTensorType>(x->getType()).getElementType();
  // Since opset 15 the parameters may have another float type than X.
  SmallVector<Value, 4> params;
  for (unsigned i = 1; i <= 4; ++i) {
    FailureOr<Value> param = node.input(i);
    if (failed(param))
      return failure();
    if (isa<FloatType>(element))
      param = node.convert(*param, element);
    if (failed(param))
      return failure();
    params.push_back(*param);
  }
  FailureOr<Value> result = node.createTyped<sd::BatchNormOp>(
      x->getType(), *x, params[0], params[1], params[2], params[3],
      node.builder().getF32FloatAttr(epsilon));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

LogicalResult importLayerNorm(NodeContext &node) {
  if (failed(node.refuseOutputsFrom(
          1, "Sinter's LayerNormalization produces only Y")))
    return failure();
  int64_t axis = node.intAttr("axis", -1);
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  FailureOr<Value> x = node.input(0), scale = node.input(1);
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(x) || failed(scale) || failed(bias) || node.hadError())
    return failure();
  Type element = cast<RankedTensorType>(x->getType()).getElementType();
  if (isa<FloatType>(element)) {
    scale = node.convert(*scale, element);
    if (succeeded(scale) && *bias)
      bias = node.convert(*bias, element);
    if (failed(scale) || failed(bias))
      return failure();
  }
  FailureOr<Value> result = node.createTyped<sd::LayerNormOp>(
      x->getType(), *x, *scale, *bias, node.builder().getI64IntegerAttr(axis),
      node.builder().getF32FloatAttr(epsilon));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// y = (x - mean) / sqrt(var + epsilon) * scale + bias per (n, c) over the
/// spatial dimensions.
LogicalResult importInstanceNorm(NodeContext &node) {
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  FailureOr<Value> x = node.input(0), scale = node.input(1),
                   bias = node.input(2);
  if (failed(x) || failed(scale) || failed(bias) || node.hadError())
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getRank() < 3)
    return node.emitError() << "InstanceNormalization expects [N, C, "
                               "spatial...], got "
                            << xType;
  Type element = xType.getElementType();
  SmallVector<int64_t> axes, paramShape = {xType.getDimSize(1)};
  for (int64_t d = 2; d < xType.getRank(); ++d) {
    axes.push_back(d);
    paramShape.push_back(1);
  }
  FailureOr<Value> mean = node.create<sd::ReduceMeanOp>(*x, axes, true);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = node.create<sd::SubOp>(*x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> square = node.create<sd::MulOp>(*centered, *centered);
  if (failed(square))
    return failure();
  FailureOr<Value> variance = node.create<sd::ReduceMeanOp>(*square, axes, true);
  if (failed(variance))
    return failure();
  FailureOr<Value> shifted =
      node.create<sd::AddOp>(*variance, node.scalar(element, epsilon));
  if (failed(shifted))
    return failure();
  FailureOr<Value> deviation = node.createUnary<sd::SqrtOp>(*shifted);
  if (failed(deviation))
    return failure();
  FailureOr<Value> normalized = node.create<sd::DivOp>(*centered, *deviation);
  if (failed(normalized))
    return failure();
  FailureOr<Value> s = node.reshape(*scale, paramShape);
  if (failed(s))
    return failure();
  FailureOr<Value> b = node.reshape(*bias, paramShape);
  if (failed(b))
    return failure();
  FailureOr<Value> scaled = node.create<sd::MulOp>(*normalized, *s);
  if (failed(scaled))
    return failure();
  FailureOr<Value> result = node.create<sd::AddOp>(*scaled, *b);
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

/// log(softmax(x)) computed as (x - max) - log(sum(exp(x - max))), which
/// keeps its precision where softmax underflows to 0.
FailureOr<Value> logSoftmax(NodeContext &node, Value x, int64_t axis) {
  SmallVector<int64_t> axes = {axis};
  FailureOr<Value> max = node.create<sd::ReduceMaxOp>(x, axes, true);
  if (failed(max))
    return failure();
  FailureOr<Value> shifted = node.create<sd::SubOp>(x, *max);
  if (failed(shifted))
    return failure();
  FailureOr<Value> exp = node.createUnary<sd::ExpOp>(*shifted);
  if (failed(exp))
    return failure();
  FailureOr<Value> sum = node.create<sd::ReduceSumOp>(*exp, axes, true);
  if (failed(sum))
    return failure();
  FailureOr<Value> log = node.createUnary<sd::LogOp>(*sum);
  if (failed(log))
    return failure();
  return node.create<sd::SubOp>(*shifted, *log);
}

/// Softmax and LogSoftmax. Before opset 13 they see the input as a matrix
/// split at `axis` and normalize its rows; since 13 they normalize one axis.
LogicalResult importSoftmax(NodeContext &node) {
  bool coerce = node.opset() < 13;
  int64_t attrAxis = node.intAttr("axis", coerce ? 1 : -1);
  FailureOr<Value> input = node.input(0);
  if (failed(input) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  if (rank == 0)
    return node.emitError() << node.opType() << " of a scalar is not supported";
  FailureOr<int64_t> axis = normalizeAxisAt(node, attrAxis, rank, "axis");
  if (failed(axis))
    return failure();
  Value x = *input;
  if (coerce && *axis != rank - 1) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < *axis ? outer : inner) *= type.getDimSize(d);
    FailureOr<Value> matrix = node.reshape(x, {outer, inner});
    if (failed(matrix))
      return failure();
    x = *matrix;
    axis = 1;
  }
  FailureOr<Value> result =
      node.opType() == "LogSoftmax"
          ? logSoftmax(node, x, *axis)
          : node.createTyped<sd::SoftmaxOp>(
                x.getType(), x, node.builder().getI64IntegerAttr(*axis));
  if (failed(result))
    return failure();
  result = node.reshape(*result, type.getShape());
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  return success();
}

} // namespace

void registerNormImporters(ImporterTable &table) {
  table["BatchNormalization"] = {importBatchNorm, 7};
  table["LayerNormalization"] = {importLayerNorm, 17};
  table["InstanceNormalization"] = {importInstanceNorm, 6};
  table["Softmax"] = {importSoftmax, 1};
  table["LogSoftmax"] = {importSoftmax, 1};
}

} // namespace sinter::onnx_import
