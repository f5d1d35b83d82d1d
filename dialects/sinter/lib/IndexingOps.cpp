// Shape inference (and with it verification) of the indexing and selection ops.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

namespace {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// `axis` normalized against `rank`, or an error naming the attribute.
FailureOr<int64_t> checkedAxis(std::optional<Location> loc, int64_t axis,
                               int64_t rank, StringRef what = "axis") {
  FailureOr<int64_t> normalized = normalizeAxis(axis, rank);
  if (failed(normalized))
    return emitOptionalError(loc, what, " ", axis,
                             " is out of range for rank ", rank);
  return normalized;
}

LogicalResult checkReduction(std::optional<Location> loc, StringRef name) {
  if (name == "none" || name == "add" || name == "mul" || name == "max" ||
      name == "min")
    return success();
  return emitOptionalError(loc, "unknown reduction '", name,
                           "' (expected none, add, mul, max or min)");
}

/// Outside `axis`, `inner` must fit inside `outer` (same rank).
LogicalResult checkFits(std::optional<Location> loc, RankedTensorType inner,
                        RankedTensorType outer, int64_t axis,
                        StringRef innerName) {
  if (inner.getRank() != outer.getRank())
    return emitOptionalError(loc, innerName, " ", inner,
                             " must have the rank of data ", outer);
  for (int64_t d = 0; d < inner.getRank(); ++d)
    if (d != axis && inner.getDimSize(d) > outer.getDimSize(d))
      return emitOptionalError(loc, innerName, " ", inner, " exceeds data ",
                               outer, " in dimension ", d);
  return success();
}

/// The result shape of a gather_nd, which scatter_nd's updates must match.
FailureOr<SmallVector<int64_t>> gatherNDShape(std::optional<Location> loc,
                                              RankedTensorType data,
                                              RankedTensorType indices,
                                              int64_t batchDims) {
  int64_t q = indices.getRank(), r = data.getRank();
  if (q < 1)
    return emitOptionalError(loc, "indices must have rank 1 or more");
  if (batchDims < 0 || batchDims >= std::min(q, r))
    return emitOptionalError(loc, "batch_dims ", batchDims,
                             " must be below the ranks of data and indices");
  int64_t m = indices.getDimSize(q - 1);
  if (m < 1 || batchDims + m > r)
    return emitOptionalError(loc, "index tuples of length ", m,
                             " do not address data ", data, " after ",
                             batchDims, " batch dimensions");
  for (int64_t d = 0; d < batchDims; ++d)
    if (data.getDimSize(d) != indices.getDimSize(d))
      return emitOptionalError(loc, "batch dimension ", d, " differs: ", data,
                               " and ", indices);
  for (int64_t d = batchDims; d < batchDims + m; ++d)
    if (data.getDimSize(d) == 0)
      return emitOptionalError(loc, "cannot index the empty dimension ", d,
                               " of ", data);
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(batchDims + m));
  return shape;
}

} // namespace

//===----------------------------------------------------------------------===//
// gathers and scatters
//===----------------------------------------------------------------------===//

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  RankedTensorType data = tensorType(adaptor.getData());
  RankedTensorType indices = tensorType(adaptor.getIndices());
  FailureOr<int64_t> axis = checkedAxis(loc, adaptor.getAxis(), data.getRank());
  if (failed(axis) || failed(checkFits(loc, indices, data, *axis, "indices")))
    return failure();
  if (data.getDimSize(*axis) == 0 && indices.getNumElements() != 0)
    return emitOptionalError(loc, "cannot gather from an empty dimension");
  results.push_back(indices.clone(data.getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  RankedTensorType data = tensorType(adaptor.getData());
  FailureOr<SmallVector<int64_t>> shape =
      gatherNDShape(loc, data, tensorType(adaptor.getIndices()),
                    adaptor.getBatchDims());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, data.getElementType()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  RankedTensorType data = tensorType(adaptor.getData());
  RankedTensorType indices = tensorType(adaptor.getIndices());
  RankedTensorType updates = tensorType(adaptor.getUpdates());
  FailureOr<int64_t> axis = checkedAxis(loc, adaptor.getAxis(), data.getRank());
  if (failed(axis) || failed(checkReduction(loc, adaptor.getReduction())) ||
      failed(checkFits(loc, indices, data, *axis, "indices")))
    return failure();
  if (updates.getShape() != indices.getShape() ||
      updates.getElementType() != data.getElementType())
    return emitOptionalError(loc, "updates ", updates,
                             " must have the shape of indices ", indices,
                             " and the element type of data ", data);
  results.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  RankedTensorType data = tensorType(adaptor.getData());
  RankedTensorType updates = tensorType(adaptor.getUpdates());
  if (failed(checkReduction(loc, adaptor.getReduction())))
    return failure();
  FailureOr<SmallVector<int64_t>> expected =
      gatherNDShape(loc, data, tensorType(adaptor.getIndices()), 0);
  if (failed(expected))
    return failure();
  if (updates.getShape() != ArrayRef<int64_t>(*expected) ||
      updates.getElementType() != data.getElementType())
    return emitOptionalError(loc, "updates ", updates, " must have shape [",
                             *expected, "] and the element type of data ",
                             data);
  results.push_back(data);
  return success();
}

//===----------------------------------------------------------------------===//
// selection along an axis
//===----------------------------------------------------------------------===//

namespace {

LogicalResult inferArg(std::optional<Location> loc, Value input, int64_t axis,
                       bool keepdims, SmallVectorImpl<Type> &results) {
  RankedTensorType type = tensorType(input);
  FailureOr<int64_t> d = checkedAxis(loc, axis, type.getRank());
  if (failed(d))
    return failure();
  if (type.getDimSize(*d) == 0)
    return emitOptionalError(loc, "cannot select from an empty axis");
  SmallVector<int64_t> shape(type.getShape());
  if (keepdims)
    shape[*d] = 1;
  else
    shape.erase(shape.begin() + *d);
  results.push_back(
      RankedTensorType::get(shape, IntegerType::get(input.getContext(), 64)));
  return success();
}

} // namespace

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArg(loc, adaptor.getInput(), adaptor.getAxis(),
                  adaptor.getKeepdims(), results);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArg(loc, adaptor.getInput(), adaptor.getAxis(),
                  adaptor.getKeepdims(), results);
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  RankedTensorType type = tensorType(adaptor.getInput());
  FailureOr<int64_t> axis = checkedAxis(loc, adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  int64_t k = adaptor.getK();
  if (k < 0 || k > type.getDimSize(*axis))
    return emitOptionalError(loc, "k = ", k, " is outside [0, ",
                             type.getDimSize(*axis), "] for axis ", *axis,
                             " of ", type);
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = k;
  results.push_back(type.clone(shape));
  results.push_back(RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// scans and position-dependent copies
//===----------------------------------------------------------------------===//

/// A running scan keeps its input's type; only its axis needs checking.
template <typename Adaptor>
static LogicalResult inferScanType(std::optional<Location> loc, Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  RankedTensorType type = tensorType(adaptor.getInput());
  if (failed(checkedAxis(loc, adaptor.getAxis(), type.getRank())))
    return failure();
  results.push_back(type);
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferScanType(loc, adaptor, results);
}

LogicalResult CumProdOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferScanType(loc, adaptor, results);
}

LogicalResult TriluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  RankedTensorType type = tensorType(adaptor.getInput());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "needs rank 2 or more, got ", type);
  results.push_back(type);
  return success();
}

LogicalResult ReverseSequenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  RankedTensorType type = tensorType(adaptor.getInput());
  RankedTensorType lens = tensorType(adaptor.getSequenceLens());
  int64_t batch = adaptor.getBatchAxis(), time = adaptor.getTimeAxis();
  if (type.getRank() < 2)
    return emitOptionalError(loc, "needs rank 2 or more, got ", type);
  if (!((batch == 0 && time == 1) || (batch == 1 && time == 0)))
    return emitOptionalError(loc, "batch_axis ", batch, " and time_axis ",
                             time, " must be 0 and 1 in some order");
  if (lens.getRank() != 1 || lens.getDimSize(0) != type.getDimSize(batch))
    return emitOptionalError(loc, "sequence_lens ", lens,
                             " must have one entry per batch entry of ", type);
  results.push_back(type);
  return success();
}
