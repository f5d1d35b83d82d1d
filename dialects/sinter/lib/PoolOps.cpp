// Shape inference of the pooling ops.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

namespace {

LogicalResult inferWindowPool(std::optional<Location> loc, Type inputType,
                              ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> dilations,
                              ArrayRef<int64_t> pads, bool ceilMode,
                              SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(inputType);
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1)
    return emitOptionalError(loc, "input must be [N, C, spatial...], got ",
                             input);
  if (static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return emitOptionalError(loc, "expected ", spatial, " kernel sizes, ",
                             "strides and dilations and ", 2 * spatial,
                             " pads");
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int64_t i = 0; i < spatial; ++i) {
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 ||
        pads[i + spatial] < 0)
      return emitOptionalError(loc, "kernel, strides and dilations must be "
                                    "positive, pads non-negative");
    if (pads[i] >= kernel[i] || pads[i + spatial] >= kernel[i])
      return emitOptionalError(loc, "pads must be smaller than the kernel");
    int64_t window = dilations[i] * (kernel[i] - 1) + 1;
    int64_t padded = input.getDimSize(i + 2) + pads[i] + pads[i + spatial];
    if (padded < window)
      return emitOptionalError(loc, "pooling window ", window,
                               " is larger than padded input ", padded);
    int64_t span = padded - window;
    int64_t out = (ceilMode ? (span + strides[i] - 1) / strides[i]
                            : span / strides[i]) +
                  1;
    // A window must start inside the input or its begin padding.
    if (ceilMode && (out - 1) * strides[i] >= input.getDimSize(i + 2) + pads[i])
      --out;
    shape.push_back(out);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

} // namespace

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferWindowPool(loc, adaptor.getInput().getType(),
                         adaptor.getKernel(), adaptor.getStrides(),
                         adaptor.getDilations(), adaptor.getPads(),
                         adaptor.getCeilMode(), results);
}

LogicalResult MaxPoolIndicesOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  if (failed(inferWindowPool(loc, adaptor.getInput().getType(),
                             adaptor.getKernel(), adaptor.getStrides(),
                             adaptor.getDilations(), adaptor.getPads(),
                             adaptor.getCeilMode(), results)))
    return failure();
  results.back() = cast<RankedTensorType>(results.back())
                       .clone(IntegerType::get(ctx, 64));
  return success();
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferWindowPool(loc, adaptor.getInput().getType(),
                         adaptor.getKernel(), adaptor.getStrides(),
                         adaptor.getDilations(), adaptor.getPads(),
                         adaptor.getCeilMode(), results);
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (input.getRank() < 3)
    return emitOptionalError(loc, "input must be [N, C, spatial...], got ",
                             input);
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  shape.append(input.getRank() - 2, 1);
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}
