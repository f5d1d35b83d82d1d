// Shape inference (and with it verification) of the vision ops: grid_sample, roi_align, det.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

namespace {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

} // namespace

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorType(adaptor.getInput());
  RankedTensorType grid = tensorType(adaptor.getGrid());
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1)
    return emitOptionalError(loc, "input must be [N, C, spatial...], got ",
                             input);
  if (grid.getRank() != spatial + 2 ||
      grid.getDimSize(spatial + 1) != spatial ||
      grid.getDimSize(0) != input.getDimSize(0))
    return emitOptionalError(loc, "grid ", grid, " must be [N, out..., ",
                             spatial, "] for input ", input);
  if (grid.getElementType() != input.getElementType())
    return emitOptionalError(loc, "grid and input element types differ");
  StringRef mode = adaptor.getMode(), padding = adaptor.getPaddingMode();
  if (mode != "linear" && mode != "nearest" && mode != "cubic")
    return emitOptionalError(loc, "unknown mode '", mode,
                             "' (expected linear, nearest or cubic)");
  if (mode == "cubic" && spatial != 2)
    return emitOptionalError(loc, "cubic sampling needs 2 spatial dimensions");
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return emitOptionalError(loc, "unknown padding_mode '", padding,
                             "' (expected zeros, border or reflection)");
  for (int64_t d = 2; d < input.getRank(); ++d)
    if (input.getDimSize(d) == 0 && grid.getNumElements() != 0)
      return emitOptionalError(loc, "cannot sample an empty input ", input);
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  llvm::append_range(shape, grid.getShape().slice(1, spatial));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorType(adaptor.getInput());
  RankedTensorType rois = tensorType(adaptor.getRois());
  RankedTensorType indices = tensorType(adaptor.getBatchIndices());
  if (input.getRank() != 4)
    return emitOptionalError(loc, "input must be [N, C, H, W], got ", input);
  if (rois.getRank() != 2 || rois.getDimSize(1) != 4)
    return emitOptionalError(loc, "rois must be [R, 4], got ", rois);
  if (indices.getRank() != 1 || indices.getDimSize(0) != rois.getDimSize(0))
    return emitOptionalError(loc, "batch_indices ", indices,
                             " must be [R] for rois ", rois);
  if (rois.getElementType() != input.getElementType())
    return emitOptionalError(loc, "rois and input element types differ");
  if (adaptor.getMode() != "avg" && adaptor.getMode() != "max")
    return emitOptionalError(loc, "unknown mode '", adaptor.getMode(),
                             "' (expected avg or max)");
  // I64Attr getters are unsigned; a negative attribute comes back negative.
  int64_t height = adaptor.getOutputHeight(), width = adaptor.getOutputWidth();
  int64_t ratio = adaptor.getSamplingRatio();
  if (height < 1 || width < 1 || ratio < 0)
    return emitOptionalError(loc, "output sizes must be positive and "
                                  "sampling_ratio non-negative");
  if (rois.getDimSize(0) != 0 &&
      (input.getDimSize(0) == 0 || input.getDimSize(2) == 0 ||
       input.getDimSize(3) == 0))
    return emitOptionalError(loc, "cannot pool regions of an empty input ",
                             input);
  results.push_back(RankedTensorType::get(
      {rois.getDimSize(0), input.getDimSize(1), height, width},
      input.getElementType()));
  return success();
}

LogicalResult DetOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorType(adaptor.getInput());
  int64_t rank = input.getRank();
  if (rank < 2 || input.getDimSize(rank - 1) != input.getDimSize(rank - 2))
    return emitOptionalError(loc, "input must be [..., M, M], got ", input);
  results.push_back(RankedTensorType::get(input.getShape().drop_back(2),
                                          input.getElementType()));
  return success();
}
