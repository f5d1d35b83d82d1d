// ONNX Cast to and from the 8-bit floats, in integer and f32 arithmetic that every target has.
//
// LLVM has no 8-bit float types, so the conversions are spelled out on the bit
// patterns. Casts to FLOAT8E4M3FN, E4M3FNUZ, E5M2 and E5M2FNUZ round to
// nearest, ties to even; with ONNX's default saturate=1 values beyond the
// largest finite one, infinities included, become it, and with saturate=0
// (sinter.narrow_cast's "float8") those that round past it become infinity
// (E5M2) or NaN (the others), as ml_dtypes, ONNX's reference, does.
// FLOAT8E8M0 rounds up (ONNX's default round_mode) and saturates.
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mlir::sinter::lowering {

namespace {

/// An E4M3 or E5M2 format: mantissa bits, exponent bias, largest finite value.
struct Float8Format {
  int mantissa;
  int bias;
  float max;
  /// FNUZ: no infinities, no -0, and 0x80 is the only NaN.
  bool fnuz;
  /// E5M2: IEEE-like infinities and NaNs; E4M3FN: only S.1111.111 is NaN.
  bool ieee;
};

Float8Format formatOf(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return {3, 7, 448.0f, false, false};
  if (isa<Float8E4M3FNUZType>(type))
    return {3, 8, 240.0f, true, false};
  if (isa<Float8E5M2Type>(type))
    return {2, 15, 57344.0f, false, true};
  return {2, 16, 57344.0f, true, false}; // Float8E5M2FNUZ
}

struct Ops {
  OpBuilder &b;
  Location loc;

  Value i32(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  }
  Value f32(float v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value and_(Value x, int64_t m) { return arith::AndIOp::create(b, loc, x, i32(m)); }
  Value or_(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, int64_t n) { return arith::ShLIOp::create(b, loc, x, i32(n)); }
  Value shr(Value x, int64_t n) { return arith::ShRUIOp::create(b, loc, x, i32(n)); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value eq(Value x, int64_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, i32(v));
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value toF32(Value bits) {
    return arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
  }
  Value toBits(Value f) {
    return arith::BitcastOp::create(b, loc, b.getI32Type(), f);
  }
  /// 2^e as f32 for a normal-range integer exponent e (an i32 value).
  Value pow2(Value e) { return toF32(shl(add(e, i32(127)), 23)); }
};

/// f32 of an E4M3/E5M2 bit pattern held in the low byte of an i32.
Value decode(Ops &o, Value bits, const Float8Format &f) {
  Value magnitude = o.and_(bits, 0x7F);
  Value exp = o.shr(magnitude, f.mantissa);
  Value mant = o.and_(magnitude, (1 << f.mantissa) - 1);
  Value normal = o.toF32(o.or_(o.shl(o.add(exp, o.i32(127 - f.bias)), 23),
                               o.shl(mant, 23 - f.mantissa)));
  Value subnormal = arith::MulFOp::create(
      o.b, o.loc, arith::UIToFPOp::create(o.b, o.loc, o.b.getF32Type(), mant),
      o.f32(std::ldexp(1.0f, 1 - f.bias - f.mantissa)));
  Value value = o.select(o.eq(exp, 0), subnormal, normal);
  Value negated = arith::NegFOp::create(o.b, o.loc, value);
  Value isNegative =
      arith::CmpIOp::create(o.b, o.loc, arith::CmpIPredicate::ne,
                            o.and_(bits, 0x80), o.i32(0));
  value = o.select(isNegative, negated, value);
  Value nan = o.f32(std::numeric_limits<float>::quiet_NaN());
  if (f.fnuz)
    return o.select(o.eq(bits, 0x80), nan, value);
  if (!f.ieee)
    return o.select(o.eq(magnitude, 0x7F), nan, value);
  Value special = o.eq(exp, 31);
  Value inf = o.select(isNegative, o.f32(-INFINITY), o.f32(INFINITY));
  return o.select(special, o.select(o.eq(mant, 0), inf, nan), value);
}

/// The E4M3/E5M2 bit pattern (low byte of an i32) of f32 `x`, saturating or
/// not.
Value encode(Ops &o, Value x, const Float8Format &f, bool saturate) {
  Value bits = o.toBits(x);
  Value sign = o.and_(o.shr(bits, 24), 0x80);
  Value isNan =
      arith::CmpFOp::create(o.b, o.loc, arith::CmpFPredicate::UNO, x, x);
  // |x| clamped to the largest finite value (infinities too); without
  // saturation to a value that still rounds past it, but keeps the arithmetic
  // below finite.
  Value a = arith::MinimumFOp::create(o.b, o.loc, o.toF32(o.and_(bits, 0x7FFFFFFF)),
                                      o.f32(saturate ? f.max : 4 * f.max));
  // The spacing of representable values around a: 2^(max(e, 1 - bias) - M).
  Value exp = arith::SubIOp::create(o.b, o.loc, o.shr(o.toBits(a), 23), o.i32(127));
  Value quantumExp = arith::SubIOp::create(
      o.b, o.loc, arith::MaxSIOp::create(o.b, o.loc, exp, o.i32(1 - f.bias)),
      o.i32(f.mantissa));
  Value scaled = arith::MulFOp::create(
      o.b, o.loc, a,
      o.pow2(arith::SubIOp::create(o.b, o.loc, o.i32(0), quantumExp)));
  // Adding and removing 2^23 rounds to an integer, ties to even (f32
  // addition's rounding); scaled is below 2^(M+1).
  Value magic = o.f32(8388608.0f);
  Value rounded = arith::SubFOp::create(
      o.b, o.loc, arith::AddFOp::create(o.b, o.loc, scaled, magic), magic);
  Value r = arith::MulFOp::create(o.b, o.loc, rounded, o.pow2(quantumExp));
  // r is representable: a normal pattern from its f32 bits, a subnormal one
  // as a multiple of the smallest subnormal.
  Value rBits = o.toBits(r);
  Value rExp = o.shr(rBits, 23);
  Value normal = o.or_(o.shl(o.add(rExp, o.i32(f.bias - 127)), f.mantissa),
                       o.and_(o.shr(rBits, 23 - f.mantissa),
                              (1 << f.mantissa) - 1));
  Value subnormal = arith::FPToUIOp::create(
      o.b, o.loc, o.b.getI32Type(),
      arith::MulFOp::create(o.b, o.loc, r,
                            o.f32(std::ldexp(1.0f, f.bias - 1 + f.mantissa))));
  Value isNormal = arith::CmpFOp::create(o.b, o.loc, arith::CmpFPredicate::OGE,
                                         r, o.f32(std::ldexp(1.0f, 1 - f.bias)));
  Value magnitude = o.select(isNormal, normal, subnormal);
  Value result = o.or_(sign, magnitude);
  if (f.fnuz) // no -0
    result = o.select(o.eq(magnitude, 0), o.i32(0), result);
  Value nan = f.fnuz ? o.i32(0x80) : o.or_(sign, o.i32(0x7F));
  if (!saturate) {
    Value overflow = arith::CmpFOp::create(
        o.b, o.loc, arith::CmpFPredicate::OGT, r, o.f32(f.max));
    Value inf = f.ieee ? o.or_(sign, o.i32(0x7C)) : nan;
    result = o.select(overflow, inf, result);
  }
  return o.select(isNan, nan, result);
}

/// f32 of an E8M0 bit pattern: 2^(bits - 127), 0xFF NaN.
Value decodeE8M0(Ops &o, Value bits) {
  Value value = o.select(o.eq(bits, 0), o.f32(std::ldexp(1.0f, -127)),
                         o.toF32(o.shl(bits, 23)));
  return o.select(o.eq(bits, 0xFF),
                  o.f32(std::numeric_limits<float>::quiet_NaN()), value);
}

/// The E8M0 pattern of f32 `x`: its exponent, rounded up when any fraction
/// bit is set unless that passes the largest value; NaN and infinities 0xFF.
Value encodeE8M0(Ops &o, Value x) {
  Value bits = o.toBits(x);
  Value exp = o.and_(o.shr(bits, 23), 0xFF);
  Value hasFraction = arith::CmpIOp::create(
      o.b, o.loc, arith::CmpIPredicate::ne, o.and_(bits, 0x7FFFFF), o.i32(0));
  Value belowMax = arith::CmpIOp::create(o.b, o.loc, arith::CmpIPredicate::ult,
                                         exp, o.i32(0xFE));
  Value up = arith::AndIOp::create(o.b, o.loc, hasFraction, belowMax);
  Value rounded = o.select(up, o.add(exp, o.i32(1)), exp);
  return o.select(o.eq(exp, 0xFF), o.i32(0xFF), rounded);
}

} // namespace

bool isFloat8(Type type) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType, Float8E8M0FNUType>(type);
}

Value castFloat8(OpBuilder &b, Location loc, Value x, Type from, Type to,
                 bool saturate) {
  Ops o{b, loc};
  Type f32 = b.getF32Type();
  if (isFloat8(from)) {
    Value byte = arith::BitcastOp::create(b, loc, b.getI8Type(), x);
    Value bits = arith::ExtUIOp::create(b, loc, b.getI32Type(), byte);
    Value value = isa<Float8E8M0FNUType>(from)
                      ? decodeE8M0(o, bits)
                      : decode(o, bits, formatOf(from));
    return castElement(b, loc, value, f32, to);
  }
  Value value = castElement(b, loc, x, from, f32);
  Value bits = isa<Float8E8M0FNUType>(to)
                   ? encodeE8M0(o, value)
                   : encode(o, value, formatOf(to), saturate);
  Value byte = arith::TruncIOp::create(b, loc, b.getI8Type(), bits);
  return arith::BitcastOp::create(b, loc, to, byte);
}

} // namespace mlir::sinter::lowering
