// Lowers sinter.narrow_cast: ONNX Cast to INT4/UINT4/INT2/UINT2/FLOAT4E2M1 carriers, from FLOAT4E2M1, and to the 8-bit floats without saturation.
//
// The sub-byte formats live one element per byte (i8 or ui8 carriers), so
// the arithmetic here is ordinary 8- to 64-bit arith that vectorizes like any
// other elementwise body; MLIR's i4/i2 types would be packed in vectors.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

Value constantLike(OpBuilder &b, Location loc, Type type, double v) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f, v));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, int64_t(v)));
}

/// ONNX Cast to a `bits`-wide integer, as ml_dtypes (ONNX's reference) does
/// it: floats truncate toward zero to an int32, and that wraps around modulo
/// 2^bits; NaN and floats outside the int32 range (infinities included)
/// become 0 (ml_dtypes' int32 conversion gives INT32_MIN there, whose low
/// bits are 0). Returns the carrier byte (i8).
Value toSubByteInt(OpBuilder &b, Location loc, Value x, Type from,
                   unsigned bits, bool isSigned) {
  Type i8 = b.getI8Type();
  Value byte;
  if (auto floatType = dyn_cast<FloatType>(from)) {
    // Half floats widen exactly to f32, which holds 2^31.
    Type wide = floatType.getWidth() < 32 ? b.getF32Type() : from;
    if (wide != from)
      x = arith::ExtFOp::create(b, loc, wide, x);
    double limit = std::ldexp(1.0, 31);
    // Ordered comparisons: NaN is out of range too.
    Value inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x,
                              constantLike(b, loc, wide, -limit)),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                              constantLike(b, loc, wide, limit)));
    x = arith::SelectOp::create(b, loc, inRange, x,
                                constantLike(b, loc, wide, 0.0));
    Value whole = arith::FPToSIOp::create(b, loc, b.getI32Type(), x);
    byte = arith::TruncIOp::create(b, loc, i8, whole);
  } else {
    // Only the low bits matter; i1 is 0 or 1.
    unsigned width = from.getIntOrFloatBitWidth();
    byte = width > 8   ? Value(arith::TruncIOp::create(b, loc, i8, x))
           : width < 8 ? Value(arith::ExtUIOp::create(b, loc, i8, x))
                       : x;
  }
  Value shift = constantLike(b, loc, i8, 8 - bits);
  Value high = arith::ShLIOp::create(b, loc, byte, shift);
  return isSigned ? Value(arith::ShRSIOp::create(b, loc, high, shift))
                  : Value(arith::ShRUIOp::create(b, loc, high, shift));
}

/// The FLOAT4E2M1 pattern (i8) of `x`: round to nearest, ties to even,
/// saturating at +-6. E2M1 has eight magnitudes (0, 0.5, 1, 1.5, 2, 3, 4, 6),
/// so the magnitude code counts the midpoints that |x| passes, a tie counting
/// when it rounds up to an even code. NaN gives the zero whose sign is
/// the opposite of the NaN's, as ml_dtypes does. f64 and integers round
/// through f32 first, as ml_dtypes does too (an f64 just below a midpoint
/// can land on it).
Value toFloat4(OpBuilder &b, Location loc, Value x, Type from) {
  auto floatType = dyn_cast<FloatType>(from);
  if (!floatType || floatType.getWidth() > 32) {
    x = castElement(b, loc, x, from, b.getF32Type());
    floatType = b.getF32Type();
  }
  Type i8 = b.getI8Type();
  Type bitsType = b.getIntegerType(floatType.getWidth());
  Value bits = arith::BitcastOp::create(b, loc, bitsType, x);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bits,
                            constantLike(b, loc, bitsType, 0));
  Value magnitude = arith::SelectOp::create(
      b, loc, negative, arith::NegFOp::create(b, loc, x), x);
  struct Midpoint {
    double value;
    bool tieUp;
  };
  const Midpoint midpoints[] = {{0.25, false}, {0.75, true}, {1.25, false},
                                {1.75, true},  {2.5, false}, {3.5, true},
                                {5.0, false}};
  Value code = constantLike(b, loc, i8, 0);
  for (const Midpoint &m : midpoints) {
    Value passed = arith::CmpFOp::create(
        b, loc, m.tieUp ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT,
        magnitude, constantLike(b, loc, floatType, m.value));
    code = arith::AddIOp::create(b, loc, code,
                                 arith::ExtUIOp::create(b, loc, i8, passed));
  }
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  Value signBit = arith::XOrIOp::create(b, loc, negative, isNan);
  Value sign =
      arith::ShLIOp::create(b, loc, arith::ExtUIOp::create(b, loc, i8, signBit),
                            constantLike(b, loc, i8, 3));
  return arith::OrIOp::create(b, loc, sign, code);
}

/// The f32 value of the FLOAT4E2M1 pattern in the low bits of byte `x`:
/// (-1)^S * 2^(E-1) * (1 + M/2), or (-1)^S * M/2 when E is 0.
Value fromFloat4(OpBuilder &b, Location loc, Value x) {
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  Value bits = arith::ExtUIOp::create(b, loc, i32, x);
  auto c = [&](int64_t v) { return constantLike(b, loc, i32, double(v)); };
  Value exp = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, c(1)), c(3));
  Value mant = arith::AndIOp::create(b, loc, bits, c(1));
  // A normal value's f32 bits: exponent E - 1 + 127, mantissa bit at 22.
  Value normalBits = arith::OrIOp::create(
      b, loc,
      arith::ShLIOp::create(b, loc, arith::AddIOp::create(b, loc, exp, c(126)),
                            c(23)),
      arith::ShLIOp::create(b, loc, mant, c(22)));
  Value normal = arith::BitcastOp::create(b, loc, f32, normalBits);
  Value subnormal =
      arith::MulFOp::create(b, loc, arith::UIToFPOp::create(b, loc, f32, mant),
                            constantLike(b, loc, f32, 0.5));
  Value isSubnormal =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, exp, c(0));
  Value value = arith::SelectOp::create(b, loc, isSubnormal, subnormal, normal);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                            arith::AndIOp::create(b, loc, bits, c(8)), c(0));
  return arith::SelectOp::create(b, loc, isNegative,
                                 arith::NegFOp::create(b, loc, value), value);
}

struct NarrowCastLowering : OpConversionPattern<NarrowCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NarrowCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Type from = op.getInput().getType().getElementType();
    Type to = resultType.getElementType();
    // The verifier admits exactly these formats.
    std::string format = op.getTo() ? op.getTo()->str() : op.getFrom()->str();
    bool decode = op.getFrom().has_value();
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          if (decode)
            return castElement(b, loc, fromFloat4(b, loc, x), b.getF32Type(),
                               to);
          if (format == "float8")
            return castFloat8(b, loc, x, from, to, /*saturate=*/false);
          if (format == "float4e2m1")
            return toFloat4(b, loc, x, from);
          unsigned bits = StringRef(format).ends_with("2") ? 2 : 4;
          bool isSigned = format[0] == 'i';
          return toSubByteInt(b, loc, x, from, bits, isSigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateNarrowCastPatterns(RewritePatternSet &patterns) {
  patterns.add<NarrowCastLowering>(patterns.getContext());
}
