// Lowers reduce_sum/mean/max to reduction linalg.generics, keepdims through expand_shape.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

enum class ReduceKind { Sum, Mean, Max };

template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireSignless(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = inputType.getElementType();
    ArrayRef<int64_t> axes = op.getAxes();
    if (axes.empty()) {
      rewriter.replaceOp(op, input);
      return success();
    }

    // A max is exact in any precision; sums of halves accumulate in f32.
    Type acc = Kind == ReduceKind::Max ? element : accumulatorType(element);
    Value init = Kind == ReduceKind::Max
                     ? lowestValue(rewriter, loc, element)
                     : scalarConstant(rewriter, loc, acc, 0.0);
    Value reduced = buildReduction(
        rewriter, loc, input, axes, init,
        [&](OpBuilder &b, Location nested, Value x, Value sum) {
          if (Kind == ReduceKind::Max)
            return arithMax(b, nested, x, sum);
          return arithAdd(b, nested, convertFloat(b, nested, x, acc), sum);
        });

    if (Kind == ReduceKind::Mean) {
      int64_t count = 1;
      for (int64_t axis : axes)
        count *= inputType.getDimSize(axis);
      auto meanType = RankedTensorType::get(
          cast<RankedTensorType>(reduced.getType()).getShape(), element);
      reduced =
          buildElementwise(rewriter, loc, meanType, reduced,
                           [&](OpBuilder &b, Location nested, ValueRange args) {
                             Value n = scalarConstant(
                                 b, nested, acc, static_cast<double>(count));
                             Value mean = arithDiv(b, nested, args[0], n);
                             return convertFloat(b, nested, mean, element);
                           });
    }
    reduced = convertTensor(rewriter, loc, reduced, element);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, resultType));
    return success();
  }
};

} // namespace

void mlir::sinter::populateReducePatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>>(
      patterns.getContext());
}
