// Elementwise ONNX ops: arithmetic with broadcasting (numpy's, and opset 6's), the variadic ones, activations and Clip.
#include "frontend/onnx/Importer.h"

#include <cfloat>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// Integer arithmetic on two small constants: how shape computations
/// (`Shape -> Gather -> Mul -> Reshape`) resolve at compile time.
std::optional<int64_t> foldArithmetic(StringRef opType, int64_t a, int64_t b) {
  if (opType == "Add" || opType == "Sum")
    return a + b;
  if (opType == "Sub")
    return a - b;
  if (opType == "Mul")
    return a * b;
  if (opType == "Max")
    return std::max(a, b);
  if (opType == "Min")
    return std::min(a, b);
  if (opType == "Div") {
    // ONNX's integer division truncates, as C does. As at run time (see
    // sinter.div), a zero divisor gives 0 and MIN / -1 wraps to MIN.
    if (b == 0)
      return 0;
    if (a == INT64_MIN && b == -1)
      return a;
    return a / b;
  }
  return std::nullopt;
}

/// Float arithmetic on two small constants, in the element type's own
/// precision (as the runtime would compute it): sizes derived from scales
/// (`Floor(Cast(Shape(x)) * 1.5)`) need it.
Attribute foldFloatArithmetic(StringRef opType, Attribute lhs, Attribute rhs) {
  auto a = cast<FloatAttr>(lhs), b = cast<FloatAttr>(rhs);
  APFloat x = a.getValue(), y = b.getValue();
  APFloat::roundingMode rounding = APFloat::rmNearestTiesToEven;
  if (opType == "Add" || opType == "Sum")
    x.add(y, rounding);
  else if (opType == "Sub")
    x.subtract(y, rounding);
  else if (opType == "Mul")
    x.multiply(y, rounding);
  else if (opType == "Div")
    x.divide(y, rounding);
  else if (opType == "Max")
    x = llvm::maximum(x, y);
  else if (opType == "Min")
    x = llvm::minimum(x, y);
  else
    return {};
  return FloatAttr::get(a.getType(), x);
}

/// Folds `node` when inputs `lhs` and `rhs` are small constants of one
/// integer or float type. Returns true when it set the output; otherwise the
/// runtime op computes it.
bool tryFoldBinary(NodeContext &node, DenseElementsAttr lhs,
                   DenseElementsAttr rhs, StringRef opType) {
  // u64 does not fit the int64 arithmetic below (u8 to u32 do, zero-extended).
  if (!isFoldable(lhs) || !isFoldable(rhs) ||
      lhs.getElementType() != rhs.getElementType() ||
      lhs.getElementType().isInteger(1) ||
      lhs.getElementType().isUnsignedInteger(64))
    return false;
  if (isa<FloatType>(lhs.getElementType())) {
    DenseElementsAttr folded = foldElementwise(
        {lhs, rhs}, lhs.getElementType(), [&](ArrayRef<Attribute> v) {
          return foldFloatArithmetic(opType, v[0], v[1]);
        });
    if (!folded)
      return false;
    node.setConstantOutput(0, folded);
    return true;
  }
  FailureOr<DenseElementsAttr> folded = foldIntElementwise(
      {lhs, rhs}, lhs.getElementType(), [&](ArrayRef<int64_t> v) {
        return foldArithmetic(opType, v[0], v[1]);
      });
  if (failed(folded) || !*folded)
    return false;
  node.setConstantOutput(0, *folded);
  return true;
}

/// Before opset 7, binary ops broadcast only with broadcast=1, and then align
/// B's dimensions with A's from `axis` (by default B's are A's last ones);
/// trailing unit dimensions turn that into numpy's right alignment.
FailureOr<Value> legacyBroadcast(NodeContext &node, Value lhs, Value rhs) {
  if (node.opset() >= 7 || node.intAttr("broadcast", 0) == 0)
    return rhs;
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t rank = lhsType.getRank();
  int64_t axis = node.intAttr("axis", rank - rhsType.getRank());
  if (axis < 0)
    axis += rank;
  int64_t trailing = rank - axis - rhsType.getRank();
  if (node.hadError() || axis < 0 || trailing < 0)
    return node.emitError() << "B " << rhsType << " does not fit A " << lhsType
                            << " at axis " << axis;
  SmallVector<int64_t> shape(rhsType.getShape());
  shape.append(trailing, 1);
  return node.reshape(rhs, shape);
}

template <typename OpTy>
FailureOr<Value> createBinary(NodeContext &node, Value lhs, Value rhs) {
  FailureOr<Value> aligned = legacyBroadcast(node, lhs, rhs);
  if (failed(aligned))
    return failure();
  return node.create<OpTy>(lhs, *aligned);
}

FailureOr<Value> createBinaryByType(NodeContext &node, StringRef opType,
                                    Value lhs, Value rhs) {
  if (opType == "Add" || opType == "Sum" || opType == "Mean")
    return createBinary<sd::AddOp>(node, lhs, rhs);
  if (opType == "Sub")
    return createBinary<sd::SubOp>(node, lhs, rhs);
  if (opType == "Mul")
    return createBinary<sd::MulOp>(node, lhs, rhs);
  if (opType == "Div")
    return createBinary<sd::DivOp>(node, lhs, rhs);
  if (opType == "Max")
    return createBinary<sd::MaxOp>(node, lhs, rhs);
  if (opType == "Min")
    return createBinary<sd::MinOp>(node, lhs, rhs);
  return node.emitError() << "internal: no binary op for " << opType;
}

/// Add, Sub, Mul, Div and the variadic Max, Min, Sum, Mean, chained pairwise.
LogicalResult importArithmetic(NodeContext &node) {
  StringRef opType = node.opType();
  unsigned count = node.numInputs();
  if (count == 0 || ((opType == "Add" || opType == "Sub" || opType == "Mul" ||
                      opType == "Div") &&
                     count != 2))
    return node.emitError() << opType << " expects "
                            << (count == 0 ? "at least one input"
                                           : "two inputs");
  if (count == 2 && node.opset() >= 7) {
    if (tryFoldBinary(node, node.constantInput(0), node.constantInput(1),
                      opType))
      return success();
  }
  FailureOr<Value> result = node.input(0);
  if (failed(result))
    return failure();
  for (unsigned i = 1; i < count; ++i) {
    FailureOr<Value> next = node.input(i);
    if (failed(next))
      return failure();
    result = createBinaryByType(node, opType, *result, *next);
    if (failed(result))
      return failure();
  }
  if (opType == "Mean" && count > 1) {
    Type element = cast<RankedTensorType>(result->getType()).getElementType();
    if (!isa<FloatType>(element))
      return node.emitError() << "Mean of " << element
                              << " tensors is not supported";
    result = node.create<sd::DivOp>(*result, node.scalar(element, count));
    if (failed(result))
      return failure();
  }
  node.setOutput(0, *result);
  return success();
}

LogicalResult importPow(NodeContext &node) {
  FailureOr<Value> base = node.input(0);
  if (failed(base))
    return failure();
  // Since opset 12 the exponent may have another type than the base; the
  // result has the base's type.
  Type element = cast<RankedTensorType>(base->getType()).getElementType();
  FailureOr<Value> exponent = failure();
  DenseElementsAttr known = node.constantInput(1);
  if (isFoldable(known) &&
      !(isa<IntegerType>(element) && isa<FloatType>(known.getElementType()))) {
    exponent = node.constant(foldCast(known, element));
  } else {
    exponent = node.input(1);
  }
  if (failed(exponent))
    return failure();
  Type exponentElement =
      cast<RankedTensorType>(exponent->getType()).getElementType();
  // An integer to a float power is computed in f64 (as numpy does) and
  // truncated back; otherwise the exponent takes the base's type.
  Type compute = isa<IntegerType>(element) && isa<FloatType>(exponentElement)
                     ? Type(node.builder().getF64Type())
                     : element;
  FailureOr<Value> x = node.convert(*base, compute);
  FailureOr<Value> y = node.convert(*exponent, compute);
  if (failed(x) || failed(y))
    return failure();
  y = legacyBroadcast(node, *x, *y);
  if (failed(y))
    return failure();
  FailureOr<Value> result = node.create<sd::PowOp>(*x, *y);
  if (succeeded(result))
    result = node.convert(*result, element);
  return node.setOutput(0, result);
}

template <typename OpTy>
LogicalResult importUnary(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.createUnary<OpTy>(*input);
  return node.setOutput(0, result);
}

/// Relu, which opset 14 allows on integers as well (max(x, 0) there).
LogicalResult importRelu(NodeContext &node) {
  // Shape computations (Range's function body) clamp small constants.
  if (DenseElementsAttr known = node.constantInput(0); isFoldable(known)) {
    Type element = known.getElementType();
    if (DenseElementsAttr folded = foldElementwise(
            {known}, element, [&](ArrayRef<Attribute> v) -> Attribute {
              ElementNumber n = numberOf(v[0]);
              return (n.isFloat ? n.f < 0 : n.i < 0) ? scalarAttr(element, 0)
                                                     : v[0];
            })) {
      node.setConstantOutput(0, folded);
      return success();
    }
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Type element = cast<RankedTensorType>(input->getType()).getElementType();
  FailureOr<Value> result =
      isa<FloatType>(element)
          ? node.createUnary<sd::ReluOp>(*input)
          : node.create<sd::MaxOp>(*input, node.scalar(element, 0));
  return node.setOutput(0, result);
}

/// Neg and Abs, which shape computations also apply to integer constants.
template <typename OpTy>
LogicalResult importSignOp(NodeContext &node) {
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known) && isa<IntegerType>(known.getElementType()) &&
      !known.getElementType().isUnsignedInteger()) {
    bool negate = node.opType() == "Neg";
    FailureOr<DenseElementsAttr> folded = foldIntElementwise(
        {known}, known.getElementType(),
        [&](ArrayRef<int64_t> v) -> std::optional<int64_t> {
          if (v[0] == INT64_MIN)
            return std::nullopt;
          return negate ? -v[0] : std::abs(v[0]);
        });
    if (succeeded(folded) && *folded) {
      node.setConstantOutput(0, *folded);
      return success();
    }
  }
  return importUnary<OpTy>(node);
}

LogicalResult importLeakyRelu(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  float alpha = node.floatAttr("alpha", 0.01f);
  if (failed(input) || node.hadError())
    return failure();
  FailureOr<Value> result = node.createTyped<sd::LeakyReluOp>(
      input->getType(), *input, node.builder().getF32FloatAttr(alpha));
  return node.setOutput(0, result);
}

LogicalResult importGelu(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  std::string approximate = node.stringAttr("approximate", "none");
  if (failed(input) || node.hadError())
    return failure();
  if (approximate != "none" && approximate != "tanh")
    return node.emitError() << "approximate must be \"none\" or \"tanh\", not \""
                            << approximate << "\"";
  FailureOr<Value> result = node.createTyped<sd::GeluOp>(
      input->getType(), *input, node.builder().getStringAttr(approximate));
  return node.setOutput(0, result);
}

/// Activations with a dialect op of their own: one loop, f16/bf16 computed in
/// f32 and rounded once.
LogicalResult importActivation(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Value x = *input;
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  if (!isa<FloatType>(element))
    return node.emitError() << node.opType() << " of " << element
                            << " tensors is not supported";
  StringRef opType = node.opType();
  Builder &b = node.builder();
  auto attr = [&](StringRef name, float defaultValue) {
    return b.getF32FloatAttr(node.floatAttr(name, defaultValue));
  };
  Type type = x.getType();
  FailureOr<Value> y = failure();
  if (opType == "Elu") {
    FloatAttr alpha = attr("alpha", 1.0f);
    if (node.hadError())
      return failure();
    y = node.createTyped<sd::EluOp>(type, x, alpha);
  } else if (opType == "Selu") {
    FloatAttr alpha = attr("alpha", 1.67326319217681884765625f);
    FloatAttr gamma = attr("gamma", 1.05070102214813232421875f);
    if (node.hadError())
      return failure();
    y = node.createTyped<sd::SeluOp>(type, x, alpha, gamma);
  } else if (opType == "Celu") {
    FloatAttr alpha = attr("alpha", 1.0f);
    if (node.hadError())
      return failure();
    if (alpha.getValue().isZero())
      return node.emitError() << "Celu needs a non-zero alpha";
    y = node.createTyped<sd::CeluOp>(type, x, alpha);
  } else if (opType == "HardSigmoid") {
    FloatAttr alpha = attr("alpha", 0.2f);
    FloatAttr beta = attr("beta", 0.5f);
    if (node.hadError())
      return failure();
    y = node.createTyped<sd::HardSigmoidOp>(type, x, alpha, beta);
  } else if (opType == "HardSwish") {
    y = node.createUnary<sd::HardSwishOp>(x);
  } else if (opType == "Softplus") {
    y = node.createUnary<sd::SoftplusOp>(x);
  } else if (opType == "Softsign") {
    y = node.createUnary<sd::SoftsignOp>(x);
  } else if (opType == "Mish") {
    y = node.createUnary<sd::MishOp>(x);
  } else if (opType == "ThresholdedRelu") {
    FloatAttr alpha = attr("alpha", 1.0f);
    if (node.hadError())
      return failure();
    y = node.createTyped<sd::ThresholdedReluOp>(type, x, alpha);
  } else {
    return node.emitError() << "internal: no activation op for " << opType;
  }
  return node.setOutput(0, y);
}

/// PRelu: the slope broadcasts to X (unidirectionally); before opset 7 it is
/// one value or one per channel (dimension 1).
LogicalResult importPRelu(NodeContext &node) {
  FailureOr<Value> input = node.input(0), slope = node.input(1);
  if (failed(input) || failed(slope))
    return failure();
  auto xType = cast<RankedTensorType>(input->getType());
  auto slopeType = cast<RankedTensorType>(slope->getType());
  if (!isa<FloatType>(xType.getElementType()))
    return node.emitError() << "PRelu of " << xType.getElementType()
                            << " tensors is not supported";
  if (node.opset() < 7 && slopeType.getRank() == 1 && xType.getRank() > 2 &&
      slopeType.getDimSize(0) != 1) {
    SmallVector<int64_t> shape(xType.getRank() - 1, 1);
    shape[0] = slopeType.getDimSize(0);
    slope = node.reshape(*slope, shape);
    if (failed(slope))
      return failure();
    slopeType = cast<RankedTensorType>(slope->getType());
  }
  FailureOr<Value> y = node.create<sd::PReluOp>(*input, *slope);
  if (succeeded(y) && y->getType() != xType)
    return node.emitError() << "slope " << slopeType
                            << " does not broadcast to X " << xType;
  return node.setOutput(0, y);
}

/// Swish, x * sigmoid(alpha * x), composed of dialect ops.
LogicalResult importSwish(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  float alpha = node.floatAttr("alpha", 1.0f);
  if (failed(input) || node.hadError())
    return failure();
  Value x = *input;
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  if (!isa<FloatType>(element))
    return node.emitError() << "Swish of " << element
                            << " tensors is not supported";
  FailureOr<Value> scaled =
      node.create<sd::MulOp>(x, node.scalar(element, alpha));
  if (failed(scaled))
    return failure();
  FailureOr<Value> gate = node.createUnary<sd::SigmoidOp>(*scaled);
  if (failed(gate))
    return failure();
  return node.setOutput(0, node.create<sd::MulOp>(x, *gate));
}

/// Clip: bounds as attributes before opset 11, optional inputs after.
LogicalResult importClip(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Value result = *input;
  Type element = cast<RankedTensorType>(result.getType()).getElementType();
  Value low, high;
  if (node.opset() < 11) {
    float min = node.floatAttr("min", -FLT_MAX);
    float max = node.floatAttr("max", FLT_MAX);
    if (node.hadError())
      return failure();
    if (node.hasAttr("min"))
      low = node.scalar(element, min);
    if (node.hasAttr("max"))
      high = node.scalar(element, max);
  } else {
    FailureOr<Value> min = node.optionalInput(1), max = node.optionalInput(2);
    if (failed(min) || failed(max))
      return failure();
    low = *min;
    high = *max;
  }
  if (low) {
    FailureOr<Value> clipped = node.create<sd::MaxOp>(result, low);
    if (failed(clipped))
      return failure();
    result = *clipped;
  }
  if (high) {
    FailureOr<Value> clipped = node.create<sd::MinOp>(result, high);
    if (failed(clipped))
      return failure();
    result = *clipped;
  }
  node.setOutput(0, result);
  return success();
}

} // namespace

void registerElementwiseImporters(ImporterTable &table) {
  for (StringRef op : {"Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean"})
    table[op] = {importArithmetic, 6};
  table["Pow"] = {importPow, 6};
  table["Relu"] = {importRelu, 6};
  table["Sigmoid"] = {importUnary<sd::SigmoidOp>, 6};
  table["Tanh"] = {importUnary<sd::TanhOp>, 6};
  table["Exp"] = {importUnary<sd::ExpOp>, 6};
  table["Log"] = {importUnary<sd::LogOp>, 6};
  table["Sqrt"] = {importUnary<sd::SqrtOp>, 6};
  table["Erf"] = {importUnary<sd::ErfOp>, 9};
  table["Neg"] = {importSignOp<sd::NegOp>, 6};
  table["Abs"] = {importSignOp<sd::AbsOp>, 6};
  table["Reciprocal"] = {importUnary<sd::ReciprocalOp>, 6};
  table["LeakyRelu"] = {importLeakyRelu, 6};
  table["Gelu"] = {importGelu, 20};
  for (StringRef op : {"Elu", "Selu", "HardSigmoid"})
    table[op] = {importActivation, 6};
  // Unchanged since opset 1.
  for (StringRef op : {"Softplus", "Softsign"})
    table[op] = {importActivation, 1};
  table["ThresholdedRelu"] = {importActivation, 10};
  table["HardSwish"] = {importActivation, 14};
  table["Mish"] = {importActivation, 18};
  table["Celu"] = {importActivation, 12};
  table["PRelu"] = {importPRelu, 6};
  table["Swish"] = {importSwish, 24};
  table["Clip"] = {importClip, 6};
}

} // namespace sinter::onnx_import
