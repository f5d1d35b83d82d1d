// Lowers sinter's float math and activations to linalg.generic, f16/bf16 computed in f32 and rounded once.
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
Value unary(ReciprocalOp, OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(b, loc, constantLike(b, loc, x, 1.0), x);
}

Value unary(SinOp, OpBuilder &b, Location loc, Value x) {
  return math::SinOp::create(b, loc, x);
}
Value unary(CosOp, OpBuilder &b, Location loc, Value x) {
  return math::CosOp::create(b, loc, x);
}
Value unary(TanOp, OpBuilder &b, Location loc, Value x) {
  return math::TanOp::create(b, loc, x);
}
Value unary(AsinOp, OpBuilder &b, Location loc, Value x) {
  return math::AsinOp::create(b, loc, x);
}
Value unary(AcosOp, OpBuilder &b, Location loc, Value x) {
  return math::AcosOp::create(b, loc, x);
}
Value unary(AtanOp, OpBuilder &b, Location loc, Value x) {
  return math::AtanOp::create(b, loc, x);
}
Value unary(SinhOp, OpBuilder &b, Location loc, Value x) {
  return math::SinhOp::create(b, loc, x);
}
Value unary(CoshOp, OpBuilder &b, Location loc, Value x) {
  return math::CoshOp::create(b, loc, x);
}
Value unary(AsinhOp, OpBuilder &b, Location loc, Value x) {
  return math::AsinhOp::create(b, loc, x);
}
Value unary(AcoshOp, OpBuilder &b, Location loc, Value x) {
  return math::AcoshOp::create(b, loc, x);
}
Value unary(AtanhOp, OpBuilder &b, Location loc, Value x) {
  return math::AtanhOp::create(b, loc, x);
}
Value unary(CeilOp, OpBuilder &b, Location loc, Value x) {
  return math::CeilOp::create(b, loc, x);
}
Value unary(FloorOp, OpBuilder &b, Location loc, Value x) {
  return math::FloorOp::create(b, loc, x);
}
Value unary(RoundOp, OpBuilder &b, Location loc, Value x) {
  return math::RoundEvenOp::create(b, loc, x);
}

/// log(1 + exp(x)) overflows for large x; max(x, 0) + log1p(exp(-|x|)) is the
/// same value computed safely.
Value softplus(OpBuilder &b, Location loc, Value x) {
  Value tail = math::ExpOp::create(
      b, loc, arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x)));
  return arith::AddFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, x, constantLike(b, loc, x, 0.0)),
      math::Log1pOp::create(b, loc, tail));
}
Value unary(SoftplusOp, OpBuilder &b, Location loc, Value x) {
  return softplus(b, loc, x);
}
Value unary(SoftsignOp, OpBuilder &b, Location loc, Value x) {
  Value magnitude = math::AbsFOp::create(b, loc, x);
  return arith::DivFOp::create(
      b, loc, x,
      arith::AddFOp::create(b, loc, magnitude, constantLike(b, loc, x, 1.0)));
}
Value unary(MishOp, OpBuilder &b, Location loc, Value x) {
  return arith::MulFOp::create(b, loc, x,
                               math::TanhOp::create(b, loc, softplus(b, loc, x)));
}

/// max(0, min(1, alpha * x + beta)), NaN staying NaN.
Value hardSigmoid(OpBuilder &b, Location loc, Value x, double alpha,
                  double beta) {
  Value linear = arith::AddFOp::create(
      b, loc, arith::MulFOp::create(b, loc, x, constantLike(b, loc, x, alpha)),
      constantLike(b, loc, x, beta));
  Value capped =
      arith::MinimumFOp::create(b, loc, linear, constantLike(b, loc, x, 1.0));
  return arith::MaximumFOp::create(b, loc, capped, constantLike(b, loc, x, 0.0));
}
Value unary(HardSwishOp, OpBuilder &b, Location loc, Value x) {
  // ONNX defines it with HardSigmoid's alpha = 1/6 (as a float) and beta = 0.5.
  return arith::MulFOp::create(
      b, loc, x, hardSigmoid(b, loc, x, static_cast<double>(1.0f / 6), 0.5));
}
Value hardSigmoidOp(HardSigmoidOp op, OpBuilder &b, Location loc, Value x) {
  return hardSigmoid(b, loc, x, op.getAlpha().convertToDouble(),
                     op.getBeta().convertToDouble());
}

/// alpha * (exp(x) - 1): the negative branch of Elu and Selu.
Value scaledExpm1(OpBuilder &b, Location loc, Value x, double alpha) {
  return arith::MulFOp::create(b, loc, math::ExpM1Op::create(b, loc, x),
                               constantLike(b, loc, x, alpha));
}
Value isPositive(OpBuilder &b, Location loc, Value x) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                               constantLike(b, loc, x, 0.0));
}
Value elu(EluOp op, OpBuilder &b, Location loc, Value x) {
  Value negative = scaledExpm1(b, loc, x, op.getAlpha().convertToDouble());
  return arith::SelectOp::create(b, loc, isPositive(b, loc, x), x, negative);
}
Value selu(SeluOp op, OpBuilder &b, Location loc, Value x) {
  Value negative = scaledExpm1(b, loc, x, op.getAlpha().convertToDouble());
  Value elu = arith::SelectOp::create(b, loc, isPositive(b, loc, x), x, negative);
  return arith::MulFOp::create(
      b, loc, elu, constantLike(b, loc, x, op.getGamma().convertToDouble()));
}
Value celu(CeluOp op, OpBuilder &b, Location loc, Value x) {
  // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
  double alpha = op.getAlpha().convertToDouble();
  Value zero = constantLike(b, loc, x, 0.0);
  Value scaled = arith::DivFOp::create(b, loc, x, constantLike(b, loc, x, alpha));
  Value negative = arith::MinimumFOp::create(
      b, loc, scaledExpm1(b, loc, scaled, alpha), zero);
  return arith::AddFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, zero),
                               negative);
}
Value thresholdedRelu(ThresholdedReluOp op, OpBuilder &b, Location loc,
                      Value x) {
  Value above = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OGT, x,
      constantLike(b, loc, x, op.getAlpha().convertToDouble()));
  return arith::SelectOp::create(b, loc, above, x, constantLike(b, loc, x, 0.0));
}
Value shrink(ShrinkOp op, OpBuilder &b, Location loc, Value x) {
  // x + bias below -lambd, x - bias above lambd, 0 between.
  double lambd = op.getLambd().convertToDouble();
  Value bias = constantLike(b, loc, x, op.getBias().convertToDouble());
  Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      constantLike(b, loc, x, -lambd));
  Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                      constantLike(b, loc, x, lambd));
  Value upper = arith::SelectOp::create(b, loc, above,
                                        arith::SubFOp::create(b, loc, x, bias),
                                        constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(b, loc, below,
                                 arith::AddFOp::create(b, loc, x, bias), upper);
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

/// PRelu: `x` where `x >= 0`, `slope * x` elsewhere, computed like the unary
/// ops (f16/bf16 in f32) with the slope broadcast against `x`.
struct PReluLowering : OpConversionPattern<PReluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Type compute = accumulatorType(element);
    Value result = buildElementwise(
        rewriter, op.getLoc(), type,
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = convertFloat(b, loc, args[0], compute);
          Value slope = convertFloat(b, loc, args[1], compute);
          Value negative = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OLT, x, constantLike(b, loc, x, 0.0));
          Value y = arith::SelectOp::create(
              b, loc, negative, arith::MulFOp::create(b, loc, x, slope), x);
          return convertFloat(b, loc, y, element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  // Computed in f32 for f16/bf16 and rounded once, as ONNX's reference does:
  // accurate, and lowerable (libm has no half versions).
  patterns.add<
      UnaryLowering<SigmoidOp, true>, UnaryLowering<TanhOp, true>,
      UnaryLowering<ExpOp, true>, UnaryLowering<LogOp, true>,
      UnaryLowering<SqrtOp, true>, UnaryLowering<ErfOp, true>,
      UnaryLowering<ReciprocalOp, true>, UnaryLowering<SinOp, true>,
      UnaryLowering<CosOp, true>, UnaryLowering<TanOp, true>,
      UnaryLowering<AsinOp, true>, UnaryLowering<AcosOp, true>,
      UnaryLowering<AtanOp, true>, UnaryLowering<SinhOp, true>,
      UnaryLowering<CoshOp, true>, UnaryLowering<AsinhOp, true>,
      UnaryLowering<AcoshOp, true>, UnaryLowering<AtanhOp, true>,
      UnaryLowering<CeilOp, true>, UnaryLowering<FloorOp, true>,
      UnaryLowering<RoundOp, true>, UnaryLowering<SoftplusOp, true>,
      UnaryLowering<SoftsignOp, true>, UnaryLowering<MishOp, true>,
      UnaryLowering<HardSwishOp, true>,
      UnaryLowering<GeluOp, true, gelu>,
      UnaryLowering<LeakyReluOp, true, leakyRelu>,
      UnaryLowering<EluOp, true, elu>, UnaryLowering<SeluOp, true, selu>,
      UnaryLowering<CeluOp, true, celu>,
      UnaryLowering<HardSigmoidOp, true, hardSigmoidOp>,
      UnaryLowering<ThresholdedReluOp, true, thresholdedRelu>,
      UnaryLowering<ShrinkOp, true, shrink>, PReluLowering>(ctx);
  // Exact in any precision.
  patterns.add<UnaryLowering<ReluOp, false>>(ctx);
}
