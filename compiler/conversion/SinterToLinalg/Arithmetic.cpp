// Lowers the ops that compute on integers (signed, unsigned, i1) as well as floats: binary arithmetic, Mod, bit shifts, bitwise logic, Neg and Abs.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

/// What a scalar body needs to know beyond its signless operands.
struct ElementInfo {
  Type type;       // the original element type (ui8, f16, ...)
  bool isUnsigned; // unsigned or i1: compare, divide and widen as unsigned
};

ElementInfo infoOf(Value tensor) {
  Type type = cast<RankedTensorType>(tensor.getType()).getElementType();
  return {type, type.isUnsignedInteger() || type.isInteger(1)};
}

Value constant(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

Value cmpi(OpBuilder &b, Location loc, arith::CmpIPredicate predicate, Value x,
           Value y) {
  return arith::CmpIOp::create(b, loc, predicate, x, y);
}

/// Integer division and remainder never trap: a zero divisor gives 0 (as
/// numpy), and the one overflowing signed case, MIN / -1, wraps to MIN (its
/// remainder is 0). `remainder` picks rem over div.
Value safeIntDivide(OpBuilder &b, Location loc, Value x, Value y,
                    bool isUnsigned, bool remainder) {
  using P = arith::CmpIPredicate;
  Value zero = constant(b, loc, x, 0), one = constant(b, loc, x, 1);
  Value byZero = cmpi(b, loc, P::eq, y, zero);
  Value risky = byZero, byMinusOne;
  if (!isUnsigned) {
    byMinusOne = cmpi(b, loc, P::eq, y, constant(b, loc, x, -1));
    risky = arith::OrIOp::create(b, loc, byZero, byMinusOne);
  }
  Value divisor = arith::SelectOp::create(b, loc, risky, one, y);
  Value result;
  if (remainder)
    result = isUnsigned ? Value(arith::RemUIOp::create(b, loc, x, divisor))
                        : Value(arith::RemSIOp::create(b, loc, x, divisor));
  else
    result = arithDiv(b, loc, x, divisor, isUnsigned);
  if (!isUnsigned && !remainder)
    result = arith::SelectOp::create(
        b, loc, byMinusOne, arith::SubIOp::create(b, loc, zero, x), result);
  return arith::SelectOp::create(b, loc, byZero, zero, result);
}

//===----------------------------------------------------------------------===//
// Binary bodies, one overload per op
//===----------------------------------------------------------------------===//

Value binary(AddOp, ElementInfo, OpBuilder &b, Location loc, Value x, Value y) {
  return arithAdd(b, loc, x, y);
}
Value binary(SubOp, ElementInfo, OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::SubFOp::create(b, loc, x, y);
  return arith::SubIOp::create(b, loc, x, y);
}
Value binary(MulOp, ElementInfo, OpBuilder &b, Location loc, Value x, Value y) {
  return arithMul(b, loc, x, y);
}
Value binary(DivOp, ElementInfo info, OpBuilder &b, Location loc, Value x,
             Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::DivFOp::create(b, loc, x, y);
  return safeIntDivide(b, loc, x, y, info.isUnsigned, /*remainder=*/false);
}
Value binary(PowOp, ElementInfo, OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType())) {
    Type compute = accumulatorType(x.getType());
    Value result = math::PowFOp::create(b, loc, convertFloat(b, loc, x, compute),
                                        convertFloat(b, loc, y, compute));
    return convertFloat(b, loc, result, x.getType());
  }
  return math::IPowIOp::create(b, loc, x, y);
}
Value binary(MaxOp, ElementInfo info, OpBuilder &b, Location loc, Value x,
             Value y) {
  return arithMax(b, loc, x, y, info.isUnsigned);
}
Value binary(MinOp, ElementInfo info, OpBuilder &b, Location loc, Value x,
             Value y) {
  return arithMin(b, loc, x, y, info.isUnsigned);
}
Value binary(BitwiseAndOp, ElementInfo, OpBuilder &b, Location loc, Value x,
             Value y) {
  return arith::AndIOp::create(b, loc, x, y);
}
Value binary(BitwiseOrOp, ElementInfo, OpBuilder &b, Location loc, Value x,
             Value y) {
  return arith::OrIOp::create(b, loc, x, y);
}
Value binary(BitwiseXorOp, ElementInfo, OpBuilder &b, Location loc, Value x,
             Value y) {
  return arith::XOrIOp::create(b, loc, x, y);
}

/// numpy's float mod: C's fmod moved to the divisor's sign, and a zero result
/// carrying the divisor's sign.
Value floatMod(OpBuilder &b, Location loc, Value x, Value y) {
  using P = arith::CmpFPredicate;
  Value zero = constant(b, loc, x, 0.0);
  Value r = arith::RemFOp::create(b, loc, x, y);
  Value nonZero = arith::CmpFOp::create(b, loc, P::ONE, r, zero);
  Value signsDiffer = arith::XOrIOp::create(
      b, loc, arith::CmpFOp::create(b, loc, P::OLT, y, zero),
      arith::CmpFOp::create(b, loc, P::OLT, r, zero));
  Value adjust = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  r = arith::SelectOp::create(b, loc, adjust, arith::AddFOp::create(b, loc, r, y),
                              r);
  Value isZero = arith::CmpFOp::create(b, loc, P::OEQ, r, zero);
  return arith::SelectOp::create(b, loc, isZero,
                                 math::CopySignOp::create(b, loc, zero, y), r);
}

Value binary(ModOp op, ElementInfo info, OpBuilder &b, Location loc, Value x,
             Value y) {
  if (auto floatType = dyn_cast<FloatType>(x.getType())) {
    Type compute = accumulatorType(floatType);
    Value wx = convertFloat(b, loc, x, compute);
    Value wy = convertFloat(b, loc, y, compute);
    Value r = op.getFmod() ? Value(arith::RemFOp::create(b, loc, wx, wy))
                           : floatMod(b, loc, wx, wy);
    return convertFloat(b, loc, r, floatType);
  }
  Value r = safeIntDivide(b, loc, x, y, info.isUnsigned, /*remainder=*/true);
  if (op.getFmod() || info.isUnsigned)
    return r;
  // The truncating remainder takes the dividend's sign; move it to the
  // divisor's when they differ.
  using P = arith::CmpIPredicate;
  Value zero = constant(b, loc, x, 0);
  Value signsDiffer = arith::XOrIOp::create(b, loc, cmpi(b, loc, P::slt, r, zero),
                                            cmpi(b, loc, P::slt, y, zero));
  Value adjust = arith::AndIOp::create(b, loc, cmpi(b, loc, P::ne, r, zero),
                                       signsDiffer);
  return arith::SelectOp::create(b, loc, adjust,
                                 arith::AddIOp::create(b, loc, r, y), r);
}

Value binary(BitShiftOp op, ElementInfo info, OpBuilder &b, Location loc,
             Value x, Value y) {
  // A count outside [0, width) shifts every bit out (numpy), where LLVM's
  // shifts would be poison: compared unsigned, a negative count is huge.
  using P = arith::CmpIPredicate;
  unsigned width = x.getType().getIntOrFloatBitWidth();
  Value zero = constant(b, loc, x, 0);
  Value widthValue = constant(b, loc, x, width);
  Value outOfRange = cmpi(b, loc, P::uge, y, widthValue);
  if (op.getDirection() == "right" && !info.isUnsigned) {
    // Arithmetic: shifting by width - 1 leaves only copies of the sign bit.
    Value count = arith::SelectOp::create(
        b, loc, outOfRange, constant(b, loc, x, width - 1), y);
    return arith::ShRSIOp::create(b, loc, x, count);
  }
  Value count = arith::SelectOp::create(b, loc, outOfRange, zero, y);
  Value shifted = op.getDirection() == "left"
                      ? Value(arith::ShLIOp::create(b, loc, x, count))
                      : Value(arith::ShRUIOp::create(b, loc, x, count));
  return arith::SelectOp::create(b, loc, outOfRange, zero, shifted);
}

//===----------------------------------------------------------------------===//
// Unary bodies
//===----------------------------------------------------------------------===//

Value unary(NegOp, ElementInfo, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(b, loc, constant(b, loc, x, 0), x);
}
Value unary(AbsOp, ElementInfo info, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  if (info.isUnsigned)
    return x;
  return math::AbsIOp::create(b, loc, x);
}
Value unary(BitwiseNotOp, ElementInfo, OpBuilder &b, Location loc, Value x) {
  // All ones: -1, or true for i1.
  return arith::XOrIOp::create(b, loc, x, constant(b, loc, x, -1));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementInfo info = infoOf(op.getLhs());
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return binary(op, info, b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <typename OpTy> struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ElementInfo info = infoOf(op.getInput());
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        adaptor.getInput(), [&](OpBuilder &b, Location loc, ValueRange args) {
          return unary(op, info, b, loc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateArithmeticPatterns(RewritePatternSet &patterns) {
  patterns.add<BinaryLowering<AddOp>, BinaryLowering<SubOp>,
               BinaryLowering<MulOp>, BinaryLowering<DivOp>,
               BinaryLowering<PowOp>, BinaryLowering<MaxOp>,
               BinaryLowering<MinOp>, BinaryLowering<ModOp>,
               BinaryLowering<BitShiftOp>, BinaryLowering<BitwiseAndOp>,
               BinaryLowering<BitwiseOrOp>, BinaryLowering<BitwiseXorOp>,
               UnaryLowering<NegOp>, UnaryLowering<AbsOp>,
               UnaryLowering<BitwiseNotOp>>(patterns.getContext());
}
