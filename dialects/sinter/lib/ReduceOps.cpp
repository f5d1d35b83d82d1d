// Shape inference of the reductions.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

namespace {

LogicalResult inferReduce(std::optional<Location> loc, Type inputType,
                          ArrayRef<int64_t> axes, bool keepdims,
                          SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(inputType);
  int64_t rank = input.getRank();
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return emitOptionalError(loc, "axis ", axes[i],
                               " is out of range for rank ", rank);
    if (i > 0 && axes[i] <= axes[i - 1])
      return emitOptionalError(loc, "axes must be increasing and unique");
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

} // namespace

#define SINTER_REDUCE_INFER(OP)                                                \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    return inferReduce(loc, adaptor.getInput().getType(), adaptor.getAxes(),   \
                       adaptor.getKeepdims(), results);                        \
  }
SINTER_REDUCE_INFER(ReduceSumOp)
SINTER_REDUCE_INFER(ReduceMeanOp)
SINTER_REDUCE_INFER(ReduceMaxOp)
SINTER_REDUCE_INFER(ReduceMinOp)
SINTER_REDUCE_INFER(ReduceProdOp)
#undef SINTER_REDUCE_INFER
