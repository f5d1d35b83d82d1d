// Lowers reduce_sum/mean/max/min/prod to reduction linalg.generics, keepdims through expand_shape.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// The identity of min: +inf for floats, the largest value for integers
/// (true for i1, whose min is an `and`).
Value highestValue(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type)) {
    APFloat inf = APFloat::getInf(floatType.getFloatSemantics());
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, inf));
  }
  auto intType = cast<IntegerType>(type);
  APInt highest = intType.getWidth() == 1
                      ? APInt::getAllOnes(1)
                      : APInt::getSignedMaxValue(intType.getWidth());
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(intType, highest));
}

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

    // Max and min are exact in any precision; sums and products of halves
    // accumulate in f32.
    bool isExtremum = Kind == ReduceKind::Max || Kind == ReduceKind::Min;
    Type acc = isExtremum ? element : accumulatorType(element);
    Value init;
    if (Kind == ReduceKind::Max)
      init = lowestValue(rewriter, loc, element);
    else if (Kind == ReduceKind::Min)
      init = highestValue(rewriter, loc, element);
    else
      init = scalarConstant(rewriter, loc, acc,
                            Kind == ReduceKind::Prod ? 1.0 : 0.0);
    Value reduced = buildReduction(
        rewriter, loc, input, axes, init,
        [&](OpBuilder &b, Location nested, Value x, Value sum) {
          if (Kind == ReduceKind::Max)
            return arithMax(b, nested, x, sum);
          if (Kind == ReduceKind::Min)
            return arithMin(b, nested, x, sum);
          Value wide = convertFloat(b, nested, x, acc);
          if (Kind == ReduceKind::Prod)
            return arithMul(b, nested, wide, sum);
          return arithAdd(b, nested, wide, sum);
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
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<ReduceProdOp, ReduceKind::Prod>>(
      patterns.getContext());
}
