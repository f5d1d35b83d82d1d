// Normalization ONNX ops: BatchNormalization, LayerNormalization, InstanceNormalization, GroupNormalization, RMSNormalization, LpNormalization, MeanVarianceNormalization, LRN, Softmax and LogSoftmax.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// `x`, widened to f32 when `stash` (stash_type 1: statistics in f32, as ONNX
/// computes them).
FailureOr<Value> stashed(NodeContext &node, Value x, bool stash) {
  if (!stash)
    return x;
  return node.convert(x, Float32Type::get(node.context()));
}

/// The dims from `axis` to the last: what Layer and RMS normalization reduce.
SmallVector<int64_t> axesFrom(int64_t axis, int64_t rank) {
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  return axes;
}

/// sqrt(mean(x^2) + epsilon) over `axes`, kept as 1s: RMSNormalization's
/// divisor, and the standard deviation when `x` is already centered.
FailureOr<Value> rootMeanSquare(NodeContext &node, Value x,
                                ArrayRef<int64_t> axes, double epsilon) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  FailureOr<Value> square = node.create<sd::MulOp>(x, x);
  if (failed(square))
    return failure();
  FailureOr<Value> variance =
      node.create<sd::ReduceMeanOp>(*square, axes, true);
  if (failed(variance))
    return failure();
  FailureOr<Value> shifted =
      node.create<sd::AddOp>(*variance, node.scalar(element, epsilon));
  if (failed(shifted))
    return failure();
  return node.createUnary<sd::SqrtOp>(*shifted);
}

/// (x - mean) / sqrt(var + epsilon) over `axes`, without scale or bias.
FailureOr<Value> normalizeOver(NodeContext &node, Value x,
                               ArrayRef<int64_t> axes, double epsilon) {
  FailureOr<Value> mean = node.create<sd::ReduceMeanOp>(x, axes, true);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = node.create<sd::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> deviation = rootMeanSquare(node, *centered, axes, epsilon);
  if (failed(deviation))
    return failure();
  return node.create<sd::DivOp>(*centered, *deviation);
}

/// x * scale + bias, with `scale` and `bias` reshaped to `paramShape` so that
/// they broadcast per channel.
FailureOr<Value> scaleAndShift(NodeContext &node, Value x, Value scale,
                               Value bias, ArrayRef<int64_t> paramShape) {
  FailureOr<Value> s = node.reshape(scale, paramShape);
  if (failed(s))
    return failure();
  FailureOr<Value> b = node.reshape(bias, paramShape);
  if (failed(b))
    return failure();
  FailureOr<Value> scaled = node.create<sd::MulOp>(x, *s);
  if (failed(scaled))
    return failure();
  return node.create<sd::AddOp>(*scaled, *b);
}

/// `running * momentum + batch * (1 - momentum)` in the type of input
/// `index` (the running statistic it updates).
LogicalResult setRunningStatistic(NodeContext &node, unsigned output,
                                  unsigned index, Value running, Value batch,
                                  float momentum) {
  if (!node.outputUsed(output))
    return success();
  Type element = cast<RankedTensorType>(running.getType()).getElementType();
  FailureOr<Value> kept =
      node.create<sd::MulOp>(running, node.scalar(element, momentum));
  FailureOr<Value> added =
      node.create<sd::MulOp>(batch, node.scalar(element, 1.0 - momentum));
  if (failed(kept) || failed(added))
    return failure();
  FailureOr<Value> updated = node.create<sd::AddOp>(*kept, *added);
  FailureOr<RankedTensorType> original = node.inputType(index);
  if (failed(updated) || failed(original))
    return failure();
  return node.setOutput(output,
                        node.convert(*updated, original->getElementType()));
}

/// BatchNormalization with training_mode=1 (opset 14+): normalizes with the
/// batch's own mean and (population) variance over every axis but the
/// channel's, and outputs the running statistics updated by `momentum`.
LogicalResult batchNormTraining(NodeContext &node, Value x,
                                ArrayRef<Value> params, float epsilon) {
  float momentum = node.floatAttr("momentum", 0.9f);
  if (node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() < 2)
    return node.emitError() << "BatchNormalization expects X [N, C, ...], got "
                            << type;
  SmallVector<int64_t> axes = {0};
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  FailureOr<Value> mean = node.create<sd::ReduceMeanOp>(x, axes, true);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = node.create<sd::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> square = node.create<sd::MulOp>(*centered, *centered);
  if (failed(square))
    return failure();
  FailureOr<Value> variance = node.create<sd::ReduceMeanOp>(*square, axes, true);
  if (failed(variance))
    return failure();
  int64_t channels = type.getDimSize(1);
  FailureOr<Value> batchMean = node.reshape(*mean, {channels});
  FailureOr<Value> batchVariance = node.reshape(*variance, {channels});
  if (failed(batchMean) || failed(batchVariance))
    return failure();
  FailureOr<Value> result = node.createTyped<sd::BatchNormOp>(
      type, x, params[0], params[1], *batchMean, *batchVariance,
      node.builder().getF32FloatAttr(epsilon));
  if (failed(node.setOutput(0, result)))
    return failure();
  if (failed(setRunningStatistic(node, 1, 3, params[2], *batchMean, momentum)))
    return failure();
  return setRunningStatistic(node, 2, 4, params[3], *batchVariance, momentum);
}

LogicalResult importBatchNorm(NodeContext &node) {
  if (node.opset() < 7 && node.intAttr("is_test", 0) == 0)
    return node.emitError() << "BatchNormalization with is_test=0 (training) "
                               "is not supported; export the model for "
                               "inference";
  if (node.opset() < 9 && node.intAttr("spatial", 1) == 0)
    return node.emitError()
           << "BatchNormalization with spatial=0 is not supported";
  // Before opset 14 the extra outputs are training-only statistics.
  bool training =
      node.opset() >= 14 && node.intAttr("training_mode", 0) != 0;
  if (!training &&
      failed(node.refuseOutputsFrom(
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
  if (training)
    return batchNormTraining(node, *x, params, epsilon);
  FailureOr<Value> result = node.createTyped<sd::BatchNormOp>(
      x->getType(), *x, params[0], params[1], params[2], params[3],
      node.builder().getF32FloatAttr(epsilon));
  return node.setOutput(0, result);
}

/// LayerNormalization's optional Mean and InvStdDev outputs, computed apart
/// from Y (in f32 when stash_type asks for it, as ONNX does).
LogicalResult layerNormStatistics(NodeContext &node, Value x, int64_t axis,
                                  float epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  FailureOr<Value> widened =
      stashed(node, x, node.intAttr("stash_type", 1) == 1);
  if (failed(widened))
    return failure();
  x = *widened;
  SmallVector<int64_t> axes = axesFrom(axis, type.getRank());
  FailureOr<Value> mean = node.create<sd::ReduceMeanOp>(x, axes, true);
  if (failed(mean))
    return failure();
  node.setOutput(1, *mean);
  if (!node.outputUsed(2))
    return success();
  FailureOr<Value> centered = node.create<sd::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> deviation = rootMeanSquare(node, *centered, axes, epsilon);
  if (failed(deviation))
    return failure();
  FailureOr<Value> inverse = node.createUnary<sd::ReciprocalOp>(*deviation);
  if (failed(inverse))
    return failure();
  node.setOutput(2, *inverse);
  return success();
}

LogicalResult importLayerNorm(NodeContext &node) {
  int64_t axis = node.intAttr("axis", -1);
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  FailureOr<Value> x = node.input(0), scale = node.input(1);
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(x) || failed(scale) || failed(bias) || node.hadError())
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  FailureOr<int64_t> normalized =
      normalizeAxisAt(node, axis, xType.getRank(), "axis");
  if (failed(normalized))
    return failure();
  Type element = xType.getElementType();
  if (isa<FloatType>(element)) {
    scale = node.convert(*scale, element);
    if (succeeded(scale) && *bias)
      bias = node.convert(*bias, element);
    if (failed(scale) || failed(bias))
      return failure();
  }
  FailureOr<Value> result = node.createTyped<sd::LayerNormOp>(
      x->getType(), *x, *scale, *bias,
      node.builder().getI64IntegerAttr(*normalized),
      node.builder().getF32FloatAttr(epsilon));
  if (failed(result))
    return failure();
  node.setOutput(0, *result);
  if ((node.outputUsed(1) || node.outputUsed(2)) &&
      failed(layerNormStatistics(node, *x, *normalized, epsilon)))
    return failure();
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
  SmallVector<int64_t> axes, paramShape = {xType.getDimSize(1)};
  for (int64_t d = 2; d < xType.getRank(); ++d) {
    axes.push_back(d);
    paramShape.push_back(1);
  }
  FailureOr<Value> normalized = normalizeOver(node, *x, axes, epsilon);
  if (failed(normalized))
    return failure();
  return node.setOutput(
      0, scaleAndShift(node, *normalized, *scale, *bias, paramShape));
}

/// log(softmax(x)) computed as (x - max) - log(sum(exp(x - max))), which
/// keeps its precision where softmax underflows to 0.
FailureOr<Value> logSoftmax(NodeContext &node, Value x, int64_t axis) {
  FailureOr<ShiftedLogSumExp> lse = shiftedLogSumExp(node, x, {axis});
  if (failed(lse))
    return failure();
  return node.create<sd::SubOp>(lse->shifted, lse->logSum);
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
  return node.setOutput(0, result);
}

/// MeanVarianceNormalization: (x - mean) / (std + 1e-9) over `axes`, the
/// epsilon added to the deviation as ONNX's function body does.
LogicalResult importMeanVarianceNorm(NodeContext &node) {
  SmallVector<int64_t> attrAxes = node.intsAttr("axes");
  bool given = node.hasAttr("axes");
  FailureOr<Value> x = node.input(0);
  if (failed(x) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (!isa<FloatType>(type.getElementType()))
    return node.emitError() << "X must be a float tensor, got " << type;
  if (!given)
    attrAxes = {0, 2, 3};
  SmallVector<int64_t> axes;
  for (int64_t a : attrAxes) {
    FailureOr<int64_t> axis =
        normalizeAxisAt(node, a, type.getRank(), "axes entry");
    if (failed(axis))
      return failure();
    if (llvm::is_contained(axes, *axis))
      return node.emitError() << "axes lists dimension " << *axis << " twice";
    axes.push_back(*axis);
  }
  llvm::sort(axes);
  Type element = type.getElementType();
  FailureOr<Value> mean = node.create<sd::ReduceMeanOp>(*x, axes, true);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = node.create<sd::SubOp>(*x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> deviation = rootMeanSquare(node, *centered, axes, 0.0);
  if (succeeded(deviation))
    deviation = node.create<sd::AddOp>(*deviation, node.scalar(element, 1e-9));
  if (failed(deviation))
    return failure();
  return node.setOutput(0, node.create<sd::DivOp>(*centered, *deviation));
}

/// LRN: x / (bias + alpha / size * sum of squares over the `size` channels
/// around each channel) ^ beta. The window sum adds `size` shifted slices
/// of the squares, padded with zeros along the channels.
LogicalResult importLrn(NodeContext &node) {
  float alpha = node.floatAttr("alpha", 1e-4f);
  float beta = node.floatAttr("beta", 0.75f);
  float bias = node.floatAttr("bias", 1.0f);
  FailureOr<int64_t> size = node.requiredIntAttr("size");
  FailureOr<Value> x = node.input(0);
  if (failed(size) || failed(x) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (type.getRank() < 3 || !isa<FloatType>(type.getElementType()))
    return node.emitError() << "X must be a float [N, C, spatial...] tensor, "
                               "got "
                            << type;
  if (*size < 1 || *size > kMaxWindowValue)
    return node.emitError() << "size must be positive, got " << *size;
  Type element = type.getElementType();
  int64_t before = (*size - 1) / 2, after = *size - 1 - before;
  FailureOr<Value> square = node.create<sd::MulOp>(*x, *x);
  if (failed(square))
    return failure();
  SmallVector<Value> parts;
  auto zeros = [&](int64_t count) {
    SmallVector<int64_t> shape(type.getShape());
    shape[1] = count;
    auto zeroType = RankedTensorType::get(shape, element);
    return node.constant(DenseElementsAttr::get(
        zeroType, scalarAttr(element, 0.0)));
  };
  if (before > 0)
    parts.push_back(zeros(before));
  parts.push_back(*square);
  if (after > 0)
    parts.push_back(zeros(after));
  FailureOr<Value> padded =
      parts.size() == 1 ? FailureOr<Value>(*square)
                        : node.create<sd::ConcatOp>(ValueRange(parts),
                                                    int64_t(1));
  if (failed(padded))
    return failure();
  SmallVector<int64_t> sizes(type.getShape()), steps(type.getRank(), 1);
  FailureOr<Value> sum = failure();
  for (int64_t k = 0; k < *size; ++k) {
    SmallVector<int64_t> starts(type.getRank(), 0);
    starts[1] = k;
    FailureOr<Value> window =
        node.create<sd::SliceOp>(*padded, starts, sizes, steps);
    if (failed(window))
      return failure();
    sum = k == 0 ? window : node.create<sd::AddOp>(*sum, *window);
    if (failed(sum))
      return failure();
  }
  FailureOr<Value> scaled = node.create<sd::MulOp>(
      *sum, node.scalar(element, double(alpha) / double(*size)));
  if (succeeded(scaled))
    scaled = node.create<sd::AddOp>(*scaled, node.scalar(element, bias));
  if (succeeded(scaled))
    scaled = node.create<sd::PowOp>(*scaled, node.scalar(element, beta));
  if (failed(scaled))
    return failure();
  return node.setOutput(0, node.create<sd::DivOp>(*x, *scaled));
}

} // namespace

/// RMSNormalization: x / sqrt(mean(x^2) + epsilon) * scale over the
/// dimensions from `axis` on, computed in f32 when stash_type asks for it.
LogicalResult importRmsNorm(NodeContext &node) {
  int64_t attrAxis = node.intAttr("axis", -1);
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  bool stash = node.intAttr("stash_type", 1) == 1;
  FailureOr<Value> input = node.input(0), scale = node.input(1);
  if (failed(input) || failed(scale) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  FailureOr<Value> widened = stashed(node, *input, stash);
  if (failed(widened))
    return failure();
  Value x = *widened;
  SmallVector<int64_t> axes = axesFrom(*axis, type.getRank());
  FailureOr<Value> root = rootMeanSquare(node, x, axes, epsilon);
  if (failed(root))
    return failure();
  FailureOr<Value> normalized = node.create<sd::DivOp>(x, *root);
  if (failed(normalized))
    return failure();
  FailureOr<Value> narrowed = node.convert(*normalized, type.getElementType());
  if (failed(narrowed))
    return failure();
  FailureOr<Value> result = node.create<sd::MulOp>(*narrowed, *scale);
  return node.setOutput(0, result);
}

/// LpNormalization: x divided by its L1 or L2 norm along `axis`.
LogicalResult importLpNorm(NodeContext &node) {
  int64_t attrAxis = node.intAttr("axis", -1);
  int64_t p = node.intAttr("p", 2);
  FailureOr<Value> x = node.input(0);
  if (failed(x) || node.hadError())
    return failure();
  if (p != 1 && p != 2)
    return node.emitError() << "p must be 1 or 2, got " << p;
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<int64_t> axis =
      normalizeAxisAt(node, attrAxis, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes = {*axis};
  FailureOr<Value> magnitude = p == 1 ? node.createUnary<sd::AbsOp>(*x)
                                      : node.create<sd::MulOp>(*x, *x);
  if (failed(magnitude))
    return failure();
  FailureOr<Value> norm = node.create<sd::ReduceSumOp>(*magnitude, axes, true);
  if (succeeded(norm) && p == 2)
    norm = node.createUnary<sd::SqrtOp>(*norm);
  if (failed(norm))
    return failure();
  // A zero norm means a zero vector, which normalizes to zeros (as the ONNX
  // reference has it); flooring the norm at the smallest normal number gets
  // 0 / tiny = 0 without a select.
  auto floatType = cast<FloatType>(type.getElementType());
  double tiny =
      APFloat::getSmallestNormalized(floatType.getFloatSemantics())
          .convertToDouble();
  norm = node.create<sd::MaxOp>(*norm, node.scalar(floatType, tiny));
  if (failed(norm))
    return failure();
  FailureOr<Value> result = node.create<sd::DivOp>(*x, *norm);
  return node.setOutput(0, result);
}

/// GroupNormalization: layer normalization of each group of channels, then a
/// per-channel (opset 21) or per-group (opset 18) scale and bias.
LogicalResult importGroupNorm(NodeContext &node) {
  FailureOr<int64_t> groups = node.requiredIntAttr("num_groups");
  float epsilon = node.floatAttr("epsilon", 1e-5f);
  bool stash = node.opset() >= 21 && node.intAttr("stash_type", 1) == 1;
  FailureOr<Value> input = node.input(0), scale = node.input(1),
                   bias = node.input(2);
  if (failed(groups) || failed(input) || failed(scale) || failed(bias) ||
      node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() < 2 || !isa<FloatType>(type.getElementType()))
    return node.emitError() << "GroupNormalization expects a float [N, C, "
                               "...] tensor, got "
                            << type;
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), g = *groups;
  if (g < 1 || c % g != 0)
    return node.emitError() << "num_groups " << g << " does not divide "
                            << c << " channels";
  int64_t perGroup = type.getNumElements() / std::max<int64_t>(n * g, 1);
  FailureOr<Value> x = node.reshape(*input, {n, g, perGroup});
  if (succeeded(x))
    x = stashed(node, *x, stash);
  if (failed(x))
    return failure();
  SmallVector<int64_t> axes = {2};
  FailureOr<Value> result = normalizeOver(node, *x, axes, epsilon);
  if (succeeded(result))
    result = node.convert(*result, type.getElementType());
  if (failed(result))
    return failure();
  // Per-group parameters apply to the grouped view, per-channel ones to the
  // input's shape with the spatial dimensions as 1s.
  SmallVector<int64_t> paramShape = {g, 1};
  if (node.opset() >= 21) {
    result = node.reshape(*result, type.getShape());
    paramShape.assign(type.getRank() - 1, 1);
    paramShape[0] = c;
  }
  if (succeeded(result))
    result = scaleAndShift(node, *result, *scale, *bias, paramShape);
  if (succeeded(result))
    result = node.reshape(*result, type.getShape());
  return node.setOutput(0, result);
}

void registerNormImporters(ImporterTable &table) {
  table["RMSNormalization"] = {importRmsNorm, 23};
  table["LpNormalization"] = {importLpNorm, 1};
  table["GroupNormalization"] = {importGroupNorm, 18};
  table["BatchNormalization"] = {importBatchNorm, 6};
  table["LayerNormalization"] = {importLayerNorm, 17};
  table["InstanceNormalization"] = {importInstanceNorm, 6};
  table["Softmax"] = {importSoftmax, 1};
  table["MeanVarianceNormalization"] = {importMeanVarianceNorm, 9};
  table["LRN"] = {importLrn, 1};
  table["LogSoftmax"] = {importSoftmax, 1};
}

} // namespace sinter::onnx_import
