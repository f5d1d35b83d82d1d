// Shape inference, verifiers and folds of the elementwise ops.
#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::sinter;

namespace {

/// Numpy broadcasting of two operands of one element type.
LogicalResult inferBroadcast(std::optional<Location> loc, Type lhs, Type rhs,
                             SmallVectorImpl<Type> &results) {
  auto lhsType = cast<RankedTensorType>(lhs);
  auto rhsType = cast<RankedTensorType>(rhs);
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             lhsType.getElementType(), " and ",
                             rhsType.getElementType());
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return emitOptionalError(loc, "shapes ", lhsType, " and ", rhsType,
                             " do not broadcast");
  results.push_back(RankedTensorType::get(shape, lhsType.getElementType()));
  return success();
}

/// True when `value` is a constant whose every element equals `scalar`.
bool isSplatOf(Value value, double scalar) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  Type type = attr.getElementType();
  if (isa<FloatType>(type))
    return attr.getSplatValue<APFloat>().convertToDouble() == scalar;
  if (isa<IntegerType>(type))
    return attr.getSplatValue<APInt>().getSExtValue() ==
           static_cast<int64_t>(scalar);
  return false;
}

} // namespace

#define SINTER_BINARY_INFER(OP)                                                \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    return inferBroadcast(loc, adaptor.getLhs().getType(),                     \
                          adaptor.getRhs().getType(), results);                \
  }
SINTER_BINARY_INFER(AddOp)
SINTER_BINARY_INFER(SubOp)
SINTER_BINARY_INFER(MulOp)
SINTER_BINARY_INFER(DivOp)
SINTER_BINARY_INFER(PowOp)
SINTER_BINARY_INFER(MaxOp)
SINTER_BINARY_INFER(MinOp)
SINTER_BINARY_INFER(BitwiseAndOp)
SINTER_BINARY_INFER(BitwiseOrOp)
SINTER_BINARY_INFER(BitwiseXorOp)
SINTER_BINARY_INFER(PReluOp)
SINTER_BINARY_INFER(ModOp)
SINTER_BINARY_INFER(BitShiftOp)
#undef SINTER_BINARY_INFER

OpFoldResult AddOp::fold(FoldAdaptor) {
  // x + 0 is x only when the zero does not widen x by broadcasting.
  if (getLhs().getType() == getType() && isSplatOf(getRhs(), 0.0))
    return getLhs();
  if (getRhs().getType() == getType() && isSplatOf(getLhs(), 0.0))
    return getRhs();
  return {};
}

OpFoldResult MulOp::fold(FoldAdaptor) {
  if (getLhs().getType() == getType() && isSplatOf(getRhs(), 1.0))
    return getLhs();
  if (getRhs().getType() == getType() && isSplatOf(getLhs(), 1.0))
    return getRhs();
  return {};
}

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  SmallVector<Type, 1> broadcast;
  if (failed(inferBroadcast(loc, adaptor.getLhs().getType(),
                            adaptor.getRhs().getType(), broadcast)))
    return failure();
  results.push_back(cast<RankedTensorType>(broadcast.front())
                        .clone(IntegerType::get(context, 1)));
  return success();
}

LogicalResult CompareOp::verify() {
  StringRef predicate = getPredicate();
  if (!llvm::is_contained({"eq", "ne", "lt", "le", "gt", "ge"}, predicate))
    return emitOpError("predicate must be eq, ne, lt, le, gt or ge, not \"")
           << predicate << "\"";
  return success();
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  SmallVector<Type, 1> values;
  if (failed(inferBroadcast(loc, adaptor.getTrueValue().getType(),
                            adaptor.getFalseValue().getType(), values)))
    return failure();
  auto valueType = cast<RankedTensorType>(values.front());
  auto condition = cast<RankedTensorType>(adaptor.getCondition().getType());
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(condition.getShape(),
                                          valueType.getShape(), shape))
    return emitOptionalError(loc, "condition ", condition,
                             " does not broadcast with ", valueType);
  results.push_back(valueType.clone(shape));
  return success();
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("approximate must be \"none\" or \"tanh\", not \"")
           << getApproximate() << "\"";
  return success();
}

LogicalResult CeluOp::verify() {
  if (getAlpha().isZero())
    return emitOpError("alpha must not be 0");
  return success();
}

static bool isBoolTensor(Type type) {
  return getElementTypeOrSelf(type).isInteger(1);
}

static bool isUnsignedTensor(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

LogicalResult NegOp::verify() {
  // Negation has no unsigned or boolean meaning in ONNX.
  if (isBoolTensor(getType()) || isUnsignedTensor(getType()))
    return emitOpError("needs a float or signed integer tensor, not ")
           << getType();
  return success();
}

LogicalResult AbsOp::verify() {
  if (isBoolTensor(getType()))
    return emitOpError("needs a numeric tensor, not ") << getType();
  return success();
}

LogicalResult ModOp::verify() {
  if (isBoolTensor(getLhs().getType()))
    return emitOpError("needs a numeric tensor, not ") << getLhs().getType();
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "left" && getDirection() != "right")
    return emitOpError("direction must be \"left\" or \"right\", not \"")
           << getDirection() << "\"";
  if (isBoolTensor(getLhs().getType()))
    return emitOpError("cannot shift ") << getLhs().getType();
  return success();
}
