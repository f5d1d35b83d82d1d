// Verifier of sinter.narrow_cast: the format names and the carrier element types they need.
#include "sinter/Dialect/SinterOps.h"

using namespace mlir;
using namespace mlir::sinter;

/// The carrier element type of sub-byte format `format`, or null for a name
/// that is not one.
static Type carrierOf(MLIRContext *context, StringRef format) {
  if (format != "int4" && format != "uint4" && format != "int2" &&
      format != "uint2" && format != "float4e2m1")
    return nullptr;
  bool isSigned = format == "int4" || format == "int2";
  return IntegerType::get(
      context, 8, isSigned ? IntegerType::Signless : IntegerType::Unsigned);
}

static bool isFloat8Type(Type type) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType>(type);
}

LogicalResult NarrowCastOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getShape() != out.getShape())
    return emitOpError("shape changes from ") << in << " to " << out;
  if (getFrom().has_value() == getTo().has_value())
    return emitOpError("needs exactly one of 'from' and 'to'");
  MLIRContext *context = getContext();
  if (std::optional<StringRef> to = getTo()) {
    if (isFloat8Type(in.getElementType()))
      return emitOpError("converts from ")
             << in.getElementType() << "; cast it to a wider type first";
    if (*to == "float8") {
      if (!isFloat8Type(out.getElementType()))
        return emitOpError("to \"float8\" needs an E4M3 or E5M2 result, not ")
               << out.getElementType();
      return success();
    }
    Type carrier = carrierOf(context, *to);
    if (!carrier)
      return emitOpError("unknown format \"")
             << *to
             << "\" (expected int4, uint4, int2, uint2, float4e2m1 or float8)";
    if (out.getElementType() != carrier)
      return emitOpError("to \"") << *to << "\" needs a " << carrier
                                  << " result, not " << out.getElementType();
    return success();
  }
  StringRef from = *getFrom();
  if (from != "float4e2m1")
    return emitOpError("from \"")
           << from
           << "\" is not supported (only float4e2m1; the integer formats' "
              "carriers hold plain values that sinter.cast reads)";
  if (in.getElementType() != carrierOf(context, from))
    return emitOpError("from \"float4e2m1\" needs a ui8 input, not ")
           << in.getElementType();
  if (isFloat8Type(out.getElementType()))
    return emitOpError("converts to ")
           << out.getElementType() << "; convert to f32 and cast that";
  return success();
}
