// Elementwise ONNX math: trigonometric and hyperbolic functions, rounding, Mod, bit shifts and bitwise logic (rounding and Mod folded on small constants, where shape computations use them).
#include "frontend/onnx/Importer.h"

#include <cmath>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The element type of `value`'s tensor type.
Type elementOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// Functions of a float: Sin, ..., Atanh.
template <typename OpTy>
LogicalResult importFloatUnary(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  if (!isa<FloatType>(elementOf(*input)))
    return node.emitError() << node.opType() << " needs a float tensor, not "
                            << input->getType();
  return node.setOutput(0, node.createUnary<OpTy>(*input));
}

/// Floor, Ceil and Round (half to even): folded on small constants (sizes
/// computed from scales), otherwise the runtime op.
template <typename OpTy>
LogicalResult importRounding(NodeContext &node) {
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known) && isa<FloatType>(known.getElementType())) {
    APFloat::roundingMode mode = node.opType() == "Floor"
                                     ? APFloat::rmTowardNegative
                                 : node.opType() == "Ceil"
                                     ? APFloat::rmTowardPositive
                                     : APFloat::rmNearestTiesToEven;
    SmallVector<APFloat> values;
    for (APFloat value : known.getValues<APFloat>()) {
      value.roundToIntegral(mode);
      values.push_back(value);
    }
    node.setConstantOutput(0, DenseElementsAttr::get(known.getType(), values));
    return success();
  }
  return importFloatUnary<OpTy>(node);
}

/// numpy's mod of floats: fmod moved to the divisor's sign.
double floatMod(double a, double b, bool fmod) {
  double r = std::fmod(a, b);
  if (fmod || b == 0)
    return r;
  if (r != 0 && (b < 0) != (r < 0))
    r += b;
  else if (r == 0)
    r = std::copysign(0.0, b);
  return r;
}

/// Mod of two small constants of one signed or float type; null when it
/// cannot fold (the runtime op then computes it).
DenseElementsAttr foldMod(DenseElementsAttr lhs, DenseElementsAttr rhs,
                          bool fmod) {
  if (!isFoldable(lhs) || !isFoldable(rhs))
    return {};
  Type element = lhs.getElementType();
  if (rhs.getElementType() != element || element.isUnsignedInteger() ||
      element.isInteger(1))
    return {};
  bool floats = isa<FloatType>(element);
  return foldElementwise(
      {lhs, rhs}, element, [&](ArrayRef<Attribute> v) -> Attribute {
        ElementNumber a = numberOf(v[0]), b = numberOf(v[1]);
        if (floats) {
          APFloat r(floatMod(a.f, b.f, fmod));
          bool lost;
          r.convert(cast<FloatType>(element).getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &lost);
          return FloatAttr::get(element, r);
        }
        // As at runtime: a zero divisor gives 0, MIN % -1 is 0.
        int64_t r = 0;
        if (b.i != 0 && b.i != -1)
          r = a.i % b.i;
        if (!fmod && r != 0 && (r < 0) != (b.i < 0))
          r += b.i;
        return IntegerAttr::get(
            element, APInt(cast<IntegerType>(element).getWidth(),
                           static_cast<uint64_t>(r), /*isSigned=*/true,
                           /*implicitTrunc=*/true));
      });
}

/// Mod: the result takes the divisor's sign unless fmod=1 asks for C's.
LogicalResult importMod(NodeContext &node) {
  bool fmod = node.intAttr("fmod", 0) != 0;
  if (node.hadError())
    return failure();
  if (node.numInputs() != 2)
    return node.emitError() << "Mod expects two inputs";
  if (DenseElementsAttr folded =
          foldMod(node.constantInput(0), node.constantInput(1), fmod)) {
    node.setConstantOutput(0, folded);
    return success();
  }
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  return node.setOutput(
      0, node.create<sd::ModOp>(*lhs, *rhs, node.builder().getBoolAttr(fmod)));
}

LogicalResult importBitShift(NodeContext &node) {
  std::string direction = node.stringAttr("direction", "");
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  if (failed(lhs) || failed(rhs) || node.hadError())
    return failure();
  if (direction != "LEFT" && direction != "RIGHT")
    return node.emitError() << "direction must be \"LEFT\" or \"RIGHT\", not \""
                            << direction << "\"";
  Type element = elementOf(*lhs);
  if (!isa<IntegerType>(element) || element.isInteger(1))
    return node.emitError() << "BitShift needs integer tensors, not "
                            << lhs->getType();
  StringRef lowered = direction == "LEFT" ? "left" : "right";
  return node.setOutput(0,
                        node.create<sd::BitShiftOp>(
                            *lhs, *rhs, node.builder().getStringAttr(lowered)));
}

/// BitwiseAnd/Or/Xor/Not on integers; And/Or/Xor/Not on bools are the same
/// ops on i1 (ImportLogic.cpp).
template <typename OpTy>
LogicalResult importBitwiseBinary(NodeContext &node) {
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (!isa<IntegerType>(elementOf(*lhs)))
    return node.emitError() << node.opType() << " needs integer tensors, not "
                            << lhs->getType();
  return node.setOutput(0, node.create<OpTy>(*lhs, *rhs));
}

LogicalResult importBitwiseNot(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  if (!isa<IntegerType>(elementOf(*input)))
    return node.emitError() << "BitwiseNot needs an integer tensor, not "
                            << input->getType();
  return node.setOutput(0, node.createUnary<sd::BitwiseNotOp>(*input));
}

} // namespace

void registerMathImporters(ImporterTable &table) {
  table["Sin"] = {importFloatUnary<sd::SinOp>, 7};
  table["Cos"] = {importFloatUnary<sd::CosOp>, 7};
  table["Tan"] = {importFloatUnary<sd::TanOp>, 7};
  table["Asin"] = {importFloatUnary<sd::AsinOp>, 7};
  table["Acos"] = {importFloatUnary<sd::AcosOp>, 7};
  table["Atan"] = {importFloatUnary<sd::AtanOp>, 7};
  table["Sinh"] = {importFloatUnary<sd::SinhOp>, 9};
  table["Cosh"] = {importFloatUnary<sd::CoshOp>, 9};
  table["Asinh"] = {importFloatUnary<sd::AsinhOp>, 9};
  table["Acosh"] = {importFloatUnary<sd::AcoshOp>, 9};
  table["Atanh"] = {importFloatUnary<sd::AtanhOp>, 9};
  table["Floor"] = {importRounding<sd::FloorOp>, 6};
  table["Ceil"] = {importRounding<sd::CeilOp>, 6};
  table["Round"] = {importRounding<sd::RoundOp>, 11};
  table["Mod"] = {importMod, 10};
  table["BitShift"] = {importBitShift, 11};
  table["BitwiseAnd"] = {importBitwiseBinary<sd::BitwiseAndOp>, 18};
  table["BitwiseOr"] = {importBitwiseBinary<sd::BitwiseOrOp>, 18};
  table["BitwiseXor"] = {importBitwiseBinary<sd::BitwiseXorOp>, 18};
  table["BitwiseNot"] = {importBitwiseNot, 18};
}

} // namespace sinter::onnx_import
