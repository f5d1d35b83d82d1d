// Shape inference of matmul and convolution.
#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Traits.h"

using namespace mlir;
using namespace mlir::sinter;

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "operands must have rank 2 or more, got ",
                             lhs, " and ", rhs);
  ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  int64_t k = a[a.size() - 1];
  if (k != b[b.size() - 2])
    return emitOptionalError(loc, "contraction sizes differ: ", lhs, " and ",
                             rhs);
  SmallVector<int64_t> batch;
  if (!OpTrait::util::getBroadcastedShape(a.drop_back(2), b.drop_back(2),
                                          batch))
    return emitOptionalError(loc, "batch dimensions of ", lhs, " and ", rhs,
                             " do not broadcast");
  batch.push_back(a[a.size() - 2]);
  batch.push_back(b[b.size() - 1]);
  results.push_back(RankedTensorType::get(batch, lhs.getElementType()));
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = cast<RankedTensorType>(adaptor.getFilter().getType());
  int64_t rank = input.getRank();
  if (rank < 3)
    return emitOptionalError(loc, "input must be [N, C, spatial...], got ",
                             input);
  if (filter.getRank() != rank)
    return emitOptionalError(loc, "filter rank ", filter.getRank(),
                             " differs from input rank ", rank);
  if (input.getElementType() != filter.getElementType())
    return emitOptionalError(loc, "input and filter element types differ");
  int64_t spatial = rank - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return emitOptionalError(loc, "expected ", spatial, " strides, ", spatial,
                             " dilations and ", 2 * spatial, " pads");
  int64_t group = adaptor.getGroup();
  int64_t channels = input.getDimSize(1), features = filter.getDimSize(0);
  if (group < 1 || channels % group != 0 || features % group != 0)
    return emitOptionalError(loc, "group ", group, " does not divide ",
                             channels, " input channels and ", features,
                             " filters");
  if (filter.getDimSize(1) * group != channels)
    return emitOptionalError(loc, "filter expects ",
                             filter.getDimSize(1) * group,
                             " input channels, input has ", channels);
  if (Value bias = adaptor.getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != features ||
        biasType.getElementType() != input.getElementType())
      return emitOptionalError(loc, "bias must be [", features, "], got ",
                               biasType);
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), features};
  for (int64_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 ||
        pads[i + spatial] < 0)
      return emitOptionalError(
          loc, "strides and dilations must be positive, pads non-negative");
    int64_t window = dilations[i] * (filter.getDimSize(i + 2) - 1) + 1;
    int64_t padded = input.getDimSize(i + 2) + pads[i] + pads[i + spatial];
    if (padded < window)
      return emitOptionalError(loc, "kernel window ", window,
                               " is larger than padded input ", padded,
                               " in spatial dimension ", i);
    shape.push_back((padded - window) / strides[i] + 1);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}
