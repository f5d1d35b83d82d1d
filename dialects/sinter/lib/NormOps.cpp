// Verifiers of the normalization ops.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

LogicalResult BatchNormOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must be [N, C, ...], got ") << input;
  int64_t channels = input.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getRank() != 1 || type.getDimSize(0) != channels ||
        type.getElementType() != input.getElementType())
      return emitOpError("parameters must be [")
             << channels << "] of " << input.getElementType() << ", got "
             << type;
  }
  return success();
}

/// `param` must broadcast against the normalized trailing dimensions.
static LogicalResult verifyTrailingParam(Operation *op, RankedTensorType input,
                                         int64_t axis, Value param,
                                         StringRef name) {
  auto type = cast<RankedTensorType>(param.getType());
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  if (type.getElementType() != input.getElementType() ||
      type.getRank() > static_cast<int64_t>(normalized.size()))
    return op->emitOpError() << name << " " << type
                             << " does not broadcast to the normalized shape";
  ArrayRef<int64_t> tail = normalized.take_back(type.getRank());
  for (auto [have, want] : llvm::zip(type.getShape(), tail))
    if (have != want && have != 1)
      return op->emitOpError() << name << " " << type
                               << " does not broadcast to the normalized shape";
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto input = getInput().getType();
  FailureOr<int64_t> axis = normalizeAxis(getAxis(), input.getRank());
  if (failed(axis))
    return emitOpError("axis ") << getAxis() << " is out of range for rank "
                                << input.getRank();
  if (failed(verifyTrailingParam(*this, input, *axis, getScale(), "scale")))
    return failure();
  if (getBias() &&
      failed(verifyTrailingParam(*this, input, *axis, getBias(), "bias")))
    return failure();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  if (failed(normalizeAxis(getAxis(), rank)))
    return emitOpError("axis ") << getAxis() << " is out of range for rank "
                                << rank;
  return success();
}
