// Lowers constants and data movement (reshapes, transpose, concat, slice, gather).
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return op.emitError("constant value is not a typed attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getType(), value);
    return success();
  }
};

/// reshape, flatten, squeeze and unsqueeze: only the shape changes.
template <typename OpTy> struct ReshapeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init =
        emptyTensor(rewriter, loc, cast<RankedTensorType>(op.getType()));
    auto transpose = linalg::TransposeOp::create(
        rewriter, loc, adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// Each input is inserted into one destination at its running offset.
struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    Value result = emptyTensor(rewriter, loc, resultType);
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto inputType = cast<RankedTensorType>(input.getType());
      // An empty input adds nothing, and its offset may be the end of the
      // axis, which insert_slice's verifier rejects.
      if (inputType.getNumElements() == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t size : inputType.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += inputType.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Positive steps are a strided extract_slice; a negative step reads through
/// indices computed from linalg.index.
struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    // An empty window reads nothing; its start may be the end of a dim.
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, resultType));
      return success();
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (auto [start, size, step] :
           llvm::zip(starts, resultType.getShape(), steps)) {
        offsets.push_back(rewriter.getIndexAttr(start));
        sizes.push_back(rewriter.getIndexAttr(size));
        strides.push_back(rewriter.getIndexAttr(step));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, resultType, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    Value input = adaptor.getInput();
    unsigned rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, {}, emptyTensor(rewriter, loc, resultType),
        AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange) {
          SmallVector<Value> indices;
          for (unsigned d = 0; d < rank; ++d) {
            // starts[d] + i * steps[d], in bounds by the op's verifier.
            Value i = linalg::IndexOp::create(b, nested, d);
            Value step = arith::ConstantIndexOp::create(b, nested, steps[d]);
            Value start = arith::ConstantIndexOp::create(b, nested, starts[d]);
            indices.push_back(arith::AddIOp::create(
                b, nested, start, arith::MulIOp::create(b, nested, i, step)));
          }
          return SmallVector<Value>{
              tensor::ExtractOp::create(b, nested, input, indices)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reads data[..., clamp(wrap(indices[...])), ...] with tensor.extract, so a
/// bad index can never read outside `data`.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t axis = *normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t indexRank = indicesType.getRank();
    int64_t limit = dataType.getDimSize(axis);
    unsigned rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<int64_t> indexDims;
    for (int64_t d = 0; d < indexRank; ++d)
      indexDims.push_back(axis + d);
    Value result = buildGeneric(
        rewriter, loc, indices, projectionMap(ctx, rank, indexDims),
        emptyTensor(rewriter, loc, resultType),
        AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value raw =
              arith::IndexCastOp::create(b, nested, b.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(b, nested, 0);
          Value size = arith::ConstantIndexOp::create(b, nested, limit);
          Value last = arith::ConstantIndexOp::create(b, nested, limit - 1);
          Value negative = arith::CmpIOp::create(
              b, nested, arith::CmpIPredicate::slt, raw, zero);
          Value wrapped = arith::SelectOp::create(
              b, nested, negative, arith::AddIOp::create(b, nested, raw, size),
              raw);
          Value clamped = arith::MinSIOp::create(
              b, nested, arith::MaxSIOp::create(b, nested, wrapped, zero),
              last);
          SmallVector<Value> position;
          for (int64_t d = 0; d < axis; ++d)
            position.push_back(linalg::IndexOp::create(b, nested, d));
          position.push_back(clamped);
          for (int64_t d = axis + indexRank; d < rank; ++d)
            position.push_back(linalg::IndexOp::create(b, nested, d));
          return SmallVector<Value>{
              tensor::ExtractOp::create(b, nested, data, position)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateShapePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConstantLowering, ReshapeLowering<ReshapeOp>,
               ReshapeLowering<FlattenOp>, ReshapeLowering<SqueezeOp>,
               ReshapeLowering<UnsqueezeOp>, TransposeLowering, ConcatLowering,
               SliceLowering, GatherLowering>(ctx);
}
