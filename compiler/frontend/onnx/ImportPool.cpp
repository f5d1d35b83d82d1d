// Pooling ONNX ops (MaxPool, AveragePool, LpPool, the global pools) and the auto_pad resolution they share with Conv.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

FailureOr<SmallVector<int64_t>>
resolvePads(NodeContext &node, ArrayRef<int64_t> spatialShape,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> dilations) {
  std::string autoPad = node.stringAttr("auto_pad", "NOTSET");
  SmallVector<int64_t> pads = node.intsAttr("pads");
  if (node.hadError())
    return failure();
  size_t spatial = spatialShape.size();
  auto inRange = [](ArrayRef<int64_t> values, int64_t low) {
    return llvm::all_of(values, [&](int64_t v) {
      return v >= low && v <= kMaxWindowValue;
    });
  };
  if (!inRange(kernel, 1) || !inRange(strides, 1) || !inRange(dilations, 1))
    return node.emitError() << "kernel sizes [" << kernel << "], strides ["
                            << strides << "] and dilations [" << dilations
                            << "] must be positive and at most "
                            << kMaxWindowValue;
  if (autoPad == "NOTSET") {
    if (pads.empty())
      pads.assign(2 * spatial, 0);
    if (pads.size() != 2 * spatial)
      return node.emitError() << "expected " << 2 * spatial
                              << " pads (begins, then ends), got "
                              << pads.size();
    if (!inRange(pads, 0))
      return node.emitError() << "pads [" << pads
                              << "] must be non-negative and at most "
                              << kMaxWindowValue;
    return pads;
  }
  if (autoPad == "VALID")
    return SmallVector<int64_t>(2 * spatial, 0);
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return node.emitError() << "unknown auto_pad '" << autoPad << "'";
  // SAME: the output has ceil(in / stride) elements; the padding it needs is
  // split evenly, the odd one going to the end (UPPER) or beginning (LOWER).
  pads.assign(2 * spatial, 0);
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = spatialShape[i];
    int64_t out = (in + strides[i] - 1) / strides[i];
    int64_t window = dilations[i] * (kernel[i] - 1) + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + window - in);
    int64_t small = total / 2, large = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : large;
    pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

namespace {

/// |x|^p, the summand of an Lp pool.
FailureOr<Value> lpPower(NodeContext &node, Value x, int64_t p) {
  if (p == 2)
    return node.create<sd::MulOp>(x, x);
  FailureOr<Value> magnitude = node.createUnary<sd::AbsOp>(x);
  if (failed(magnitude) || p == 1)
    return magnitude;
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  return node.create<sd::PowOp>(*magnitude, node.scalar(element, p));
}

/// sum^(1/p), the result of an Lp pool.
FailureOr<Value> lpRoot(NodeContext &node, Value sum, int64_t p) {
  if (p == 1)
    return sum;
  if (p == 2)
    return node.createUnary<sd::SqrtOp>(sum);
  Type element = cast<RankedTensorType>(sum.getType()).getElementType();
  return node.create<sd::PowOp>(sum, node.scalar(element, 1.0 / p));
}

/// The signless (signed) integer type that holds every value of unsigned
/// `type`, or null for ui64: maxima on signless integers are signed.
Type widerSigned(IntegerType type) {
  if (type.getWidth() >= 64)
    return {};
  return IntegerType::get(type.getContext(), type.getWidth() * 2);
}

/// MaxPool's Y and, when used, its Indices (flat positions in X, row-major
/// or with storage_order=1 column-major over the spatial dims).
LogicalResult importMaxPool(NodeContext &node, Value x,
                            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> dilations,
                            ArrayRef<int64_t> pads, bool ceilMode) {
  bool columnMajor = node.intAttr("storage_order", 0) != 0;
  if (node.hadError())
    return failure();
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  Value input = x;
  if (auto intType = dyn_cast<IntegerType>(element);
      intType && intType.isUnsigned()) {
    Type wide = widerSigned(intType);
    if (!wide)
      return node.emitError() << "MaxPool of " << element
                              << " tensors is not supported";
    FailureOr<Value> widened = node.convert(x, wide);
    if (failed(widened))
      return failure();
    input = *widened;
  }
  FailureOr<Value> result = node.create<sd::MaxPoolOp>(
      input, kernel, strides, dilations, pads, ceilMode, false);
  if (succeeded(result))
    result = node.convert(*result, element);
  if (failed(node.setOutput(0, result)))
    return failure();
  if (node.numOutputs() < 2 || !node.outputUsed(1))
    return success();
  return node.setOutput(1, node.create<sd::MaxPoolIndicesOp>(
                               input, kernel, strides, dilations, pads,
                               ceilMode, columnMajor));
}

/// MaxPool, AveragePool and LpPool (an average of |x|^p that counts the
/// padding, times the window size, to the power 1/p).
LogicalResult importWindowPool(NodeContext &node) {
  bool isMax = node.opType() == "MaxPool";
  bool isLp = node.opType() == "LpPool";
  int64_t p = isLp ? node.intAttr("p", 2) : 1;
  if (isLp && (p < 1 || p > 64))
    return node.emitError() << "p must be a positive integer, got " << p;
  FailureOr<Value> x = node.input(0);
  FailureOr<SmallVector<int64_t>> kernel =
      node.requiredIntsAttr("kernel_shape");
  if (failed(x) || failed(kernel))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getRank() < 3)
    return node.emitError() << node.opType()
                            << " expects X [N, C, spatial...], got " << xType;
  size_t spatial = xType.getRank() - 2;
  SmallVector<int64_t> strides = node.intsAttr("strides");
  SmallVector<int64_t> dilations = node.intsAttr("dilations");
  bool ceilMode = node.intAttr("ceil_mode", 0) != 0;
  bool countIncludePad = node.intAttr("count_include_pad", 0) != 0;
  if (node.hadError())
    return failure();
  if (strides.empty())
    strides.assign(spatial, 1);
  if (dilations.empty())
    dilations.assign(spatial, 1);
  if (kernel->size() != spatial || strides.size() != spatial ||
      dilations.size() != spatial)
    return node.emitError() << "expected " << spatial
                            << " kernel sizes, strides and dilations for "
                            << xType;
  FailureOr<SmallVector<int64_t>> pads = resolvePads(
      node, xType.getShape().drop_front(2), *kernel, strides, dilations);
  if (failed(pads))
    return failure();
  if (isMax)
    return importMaxPool(node, *x, *kernel, strides, dilations, *pads,
                         ceilMode);
  Value input = *x;
  if (isLp) {
    FailureOr<Value> power = lpPower(node, input, p);
    if (failed(power))
      return failure();
    input = *power;
    countIncludePad = true;
  }
  FailureOr<Value> result = node.create<sd::AvgPoolOp>(
      input, *kernel, strides, dilations, *pads, ceilMode, countIncludePad);
  if (succeeded(result) && isLp) {
    result = node.create<sd::MulOp>(
        *result, node.scalar(xType.getElementType(), product(*kernel)));
    if (succeeded(result))
      result = lpRoot(node, *result, p);
  }
  return node.setOutput(0, result);
}

LogicalResult importGlobalPool(NodeContext &node) {
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getRank() < 3)
    return node.emitError() << node.opType()
                            << " expects X [N, C, spatial...], got " << xType;
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < xType.getRank(); ++d)
    axes.push_back(d);
  FailureOr<Value> result = failure();
  if (node.opType() == "GlobalAveragePool") {
    result = node.create<sd::GlobalAvgPoolOp>(*x);
  } else if (node.opType() == "GlobalMaxPool") {
    result = node.create<sd::ReduceMaxOp>(*x, axes, /*keepdims=*/true);
  } else {
    int64_t p = node.intAttr("p", 2);
    if (p < 1 || p > 64)
      return node.emitError() << "p must be a positive integer, got " << p;
    FailureOr<Value> power = lpPower(node, *x, p);
    if (failed(power))
      return failure();
    result = node.create<sd::ReduceSumOp>(*power, axes, /*keepdims=*/true);
    if (succeeded(result))
      result = lpRoot(node, *result, p);
  }
  return node.setOutput(0, result);
}

} // namespace

void registerPoolImporters(ImporterTable &table) {
  table["MaxPool"] = {importWindowPool, 1};
  table["AveragePool"] = {importWindowPool, 1};
  table["GlobalAveragePool"] = {importGlobalPool, 1};
  table["GlobalMaxPool"] = {importGlobalPool, 1};
  table["LpPool"] = {importWindowPool, 2};
  table["GlobalLpPool"] = {importGlobalPool, 2};
}

} // namespace sinter::onnx_import
