// Lowers sinter's unary and binary elementwise ops to linalg.generic with broadcasting maps.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Scalar bodies, one overload per op
//===----------------------------------------------------------------------===//

Value constantLike(OpBuilder &b, Location loc, Value x, double value) {
  return scalarConstant(b, loc, x.getType(), value);
}

Value unary(ReluOp, OpBuilder &b, Location loc, Value x) {
  return arith::MaximumFOp::create(b, loc, x, constantLike(b, loc, x, 0.0));
}
Value unary(SigmoidOp, OpBuilder &b, Location loc, Value x) {
  Value one = constantLike(b, loc, x, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}
Value unary(TanhOp, OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}
Value unary(ExpOp, OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}
Value unary(LogOp, OpBuilder &b, Location loc, Value x) {
  return math::LogOp::create(b, loc, x);
}
Value unary(SqrtOp, OpBuilder &b, Location loc, Value x) {
  return math::SqrtOp::create(b, loc, x);
}
Value unary(ErfOp, OpBuilder &b, Location loc, Value x) {
  return math::ErfOp::create(b, loc, x);
}
Value unary(NegOp, OpBuilder &b, Location loc, Value x) {
  return arith::NegFOp::create(b, loc, x);
}
Value unary(AbsOp, OpBuilder &b, Location loc, Value x) {
  return math::AbsFOp::create(b, loc, x);
}
Value unary(ReciprocalOp, OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(b, loc, constantLike(b, loc, x, 1.0), x);
}

Value leakyRelu(LeakyReluOp op, OpBuilder &b, Location loc, Value x) {
  Value zero = constantLike(b, loc, x, 0.0);
  Value alpha = constantLike(b, loc, x, op.getAlpha().convertToDouble());
  Value scaled = arith::MulFOp::create(b, loc, x, alpha);
  Value positive =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, zero);
  return arith::SelectOp::create(b, loc, positive, x, scaled);
}

Value gelu(GeluOp op, OpBuilder &b, Location loc, Value x) {
  Value half = constantLike(b, loc, x, 0.5);
  Value one = constantLike(b, loc, x, 1.0);
  Value inner;
  if (op.getApproximate() == "tanh") {
    // tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))
    Value cube =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, constantLike(b, loc, x, 0.044715), cube));
    Value scaled = arith::MulFOp::create(
        b, loc, constantLike(b, loc, x, std::sqrt(2.0 / M_PI)), poly);
    inner = math::TanhOp::create(b, loc, scaled);
  } else {
    // erf(x / sqrt(2))
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x, constantLike(b, loc, x, M_SQRT1_2)));
  }
  Value phi = arith::AddFOp::create(b, loc, one, inner);
  return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                               phi);
}

Value binary(AddOp, OpBuilder &b, Location loc, Value x, Value y) {
  return arithAdd(b, loc, x, y);
}
Value binary(SubOp, OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}
Value binary(MulOp, OpBuilder &b, Location loc, Value x, Value y) {
  return arithMul(b, loc, x, y);
}
Value binary(DivOp, OpBuilder &b, Location loc, Value x, Value y) {
  return arithDiv(b, loc, x, y);
}
Value binary(PowOp, OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return convertFloat(
        b, loc,
        math::PowFOp::create(
            b, loc, convertFloat(b, loc, x, accumulatorType(x.getType())),
            convertFloat(b, loc, y, accumulatorType(x.getType()))),
        x.getType());
  return math::IPowIOp::create(b, loc, x, y);
}
Value binary(MaxOp, OpBuilder &b, Location loc, Value x, Value y) {
  return arithMax(b, loc, x, y);
}
Value binary(MinOp, OpBuilder &b, Location loc, Value x, Value y) {
  return arithMin(b, loc, x, y);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpTy>
Value unaryBody(OpTy op, OpBuilder &b, Location loc, Value x) {
  return unary(op, b, loc, x);
}

/// A unary op; with `Promote`, f16/bf16 elements are computed in f32, which
/// keeps transcendental functions accurate and lowerable (libm has no half
/// versions).
template <typename OpTy, bool Promote,
          Value (*Body)(OpTy, OpBuilder &, Location, Value) = unaryBody<OpTy>>
struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Type compute = Promote ? accumulatorType(element) : element;
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = convertFloat(b, loc, args[0], compute);
          return convertFloat(b, loc, Body(op, b, loc, x), element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireSignless(op, op->getOperandTypes())))
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementwise(rewriter, op.getLoc(), resultType,
                         ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return binary(op, b, loc, args[0], args[1]);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<UnaryLowering<SigmoidOp, true>, UnaryLowering<TanhOp, true>,
               UnaryLowering<ExpOp, true>, UnaryLowering<LogOp, true>,
               UnaryLowering<SqrtOp, true>, UnaryLowering<ErfOp, true>,
               UnaryLowering<GeluOp, true, gelu>>(ctx);
  // Exact in any precision.
  patterns.add<UnaryLowering<ReluOp, false>, UnaryLowering<NegOp, false>,
               UnaryLowering<AbsOp, false>, UnaryLowering<ReciprocalOp, false>,
               UnaryLowering<LeakyReluOp, false, leakyRelu>>(ctx);
  patterns
      .add<BinaryLowering<AddOp>, BinaryLowering<SubOp>, BinaryLowering<MulOp>,
           BinaryLowering<DivOp>, BinaryLowering<PowOp>, BinaryLowering<MaxOp>,
           BinaryLowering<MinOp>>(ctx);
}
