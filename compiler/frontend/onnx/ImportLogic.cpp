// Comparisons, boolean logic and Where (sinter.compare, sinter.select and the bitwise ops on i1, folded on constants), Shrink, Sign, IsNaN and IsInf.
#include "frontend/onnx/Importer.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

Attribute boolAttr(MLIRContext *context, bool value) {
  return IntegerAttr::get(IntegerType::get(context, 1), APInt(1, value));
}

/// The comparison predicate of an ONNX op, or empty.
StringRef predicateOf(StringRef opType) {
  return llvm::StringSwitch<StringRef>(opType)
      .Case("Equal", "eq")
      .Case("Less", "lt")
      .Case("LessOrEqual", "le")
      .Case("Greater", "gt")
      .Case("GreaterOrEqual", "ge")
      .Default("");
}

bool compare(StringRef predicate, ElementNumber a, ElementNumber b) {
  if (a.isFloat || b.isFloat) {
    if (std::isnan(a.f) || std::isnan(b.f))
      return predicate == "ne";
    return predicate == "eq"   ? a.f == b.f
           : predicate == "ne" ? a.f != b.f
           : predicate == "lt" ? a.f < b.f
           : predicate == "le" ? a.f <= b.f
           : predicate == "gt" ? a.f > b.f
                               : a.f >= b.f;
  }
  return predicate == "eq"   ? a.i == b.i
         : predicate == "ne" ? a.i != b.i
         : predicate == "lt" ? a.i < b.i
         : predicate == "le" ? a.i <= b.i
         : predicate == "gt" ? a.i > b.i
                             : a.i >= b.i;
}

/// Folds the op when every input is a small constant; true when it did.
bool tryFold(NodeContext &node, unsigned arity) {
  SmallVector<DenseElementsAttr> inputs;
  for (unsigned i = 0; i < arity; ++i) {
    DenseElementsAttr known = node.constantInput(i);
    if (!isFoldable(known))
      return false;
    inputs.push_back(known);
  }
  StringRef op = node.opType();
  MLIRContext *context = node.context();
  Type result = op == "Where" ? inputs[1].getElementType()
                              : IntegerType::get(context, 1);
  if (op == "Where" && inputs[2].getElementType() != result)
    return false; // the op reports the mismatch
  if (!predicateOf(op).empty() &&
      inputs[0].getElementType() != inputs[1].getElementType())
    return false;
  DenseElementsAttr folded = foldElementwise(
      inputs, result, [&](ArrayRef<Attribute> v) -> Attribute {
        if (op == "Where")
          return numberOf(v[0]).i ? v[1] : v[2];
        ElementNumber a = numberOf(v[0]);
        if (op == "Not")
          return boolAttr(context, a.i == 0);
        ElementNumber b = numberOf(v[1]);
        if (op == "And")
          return boolAttr(context, a.i && b.i);
        if (op == "Or")
          return boolAttr(context, a.i || b.i);
        if (op == "Xor")
          return boolAttr(context, (a.i != 0) != (b.i != 0));
        return boolAttr(context, compare(predicateOf(op), a, b));
      });
  if (!folded)
    return false;
  node.setConstantOutput(0, folded);
  return true;
}

FailureOr<Value> compareValues(NodeContext &node, Value lhs, Value rhs,
                               StringRef predicate) {
  return node.create<sd::CompareOp>(lhs, rhs,
                                    node.builder().getStringAttr(predicate));
}

/// Comparisons, Not/And/Or/Xor and Where: folded when constant, otherwise
/// compare and select, and the bitwise ops on i1 for the boolean logic.
LogicalResult importLogic(NodeContext &node) {
  StringRef op = node.opType();
  unsigned arity = op == "Not" ? 1 : op == "Where" ? 3 : 2;
  if (node.numInputs() != arity)
    return node.emitError() << op << " expects " << arity << " inputs";
  if (tryFold(node, arity))
    return success();
  SmallVector<Value, 3> inputs;
  for (unsigned i = 0; i < arity; ++i) {
    FailureOr<Value> input = node.input(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  bool logical = op == "Not" || op == "And" || op == "Or" || op == "Xor";
  if (logical)
    for (Value input : inputs)
      if (!cast<RankedTensorType>(input.getType()).getElementType().isInteger(1))
        return node.emitError() << op << " needs bool tensors, not "
                                << input.getType();
  FailureOr<Value> result = failure();
  if (op == "Where")
    result = node.create<sd::SelectOp>(inputs[0], inputs[1], inputs[2]);
  else if (op == "Not")
    result = node.createUnary<sd::BitwiseNotOp>(inputs[0]);
  else if (op == "And")
    result = node.create<sd::BitwiseAndOp>(inputs[0], inputs[1]);
  else if (op == "Or")
    result = node.create<sd::BitwiseOrOp>(inputs[0], inputs[1]);
  else if (op == "Xor")
    result = node.create<sd::BitwiseXorOp>(inputs[0], inputs[1]);
  else
    result = compareValues(node, inputs[0], inputs[1], predicateOf(op));
  return node.setOutput(0, result);
}

/// Shrink: its own op on floats; integers go through f64 and truncate back,
/// as the reference's float arithmetic does.
LogicalResult importShrink(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  float lambd = node.floatAttr("lambd", 0.5f);
  float bias = node.floatAttr("bias", 0.0f);
  if (failed(input) || node.hadError())
    return failure();
  Type element = cast<RankedTensorType>(input->getType()).getElementType();
  Type compute = isa<FloatType>(element)
                     ? element
                     : Type(Float64Type::get(node.context()));
  FailureOr<Value> x = node.convert(*input, compute);
  if (failed(x))
    return failure();
  FailureOr<Value> y = node.createTyped<sd::ShrinkOp>(
      x->getType(), *x, node.builder().getF32FloatAttr(lambd),
      node.builder().getF32FloatAttr(bias));
  if (succeeded(y))
    y = node.convert(*y, element);
  return node.setOutput(0, y);
}

/// Sign, IsNaN and IsInf: comparisons and selects.
LogicalResult importSelective(NodeContext &node) {
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Value x = *input;
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  bool isFloat = isa<FloatType>(element);
  StringRef op = node.opType();
  if (!isFloat && op != "Sign")
    return node.emitError() << op << " of " << element
                            << " tensors is not supported";
  auto scalar = [&](double v) { return node.scalar(element, v); };
  FailureOr<Value> result = failure();
  if (op == "Sign") {
    // The condition has x's shape, so the selects do too.
    FailureOr<Value> positive = compareValues(node, x, scalar(0), "gt");
    FailureOr<Value> negative = compareValues(node, x, scalar(0), "lt");
    if (failed(positive) || failed(negative))
      return failure();
    result = node.create<sd::SelectOp>(*negative, scalar(-1), scalar(0));
    if (succeeded(result))
      result = node.create<sd::SelectOp>(*positive, scalar(1), *result);
    if (succeeded(result) && isFloat) {
      // NaN stays NaN: x itself where x != x.
      FailureOr<Value> nan = compareValues(node, x, x, "ne");
      result = failed(nan) ? FailureOr<Value>(failure())
                           : node.create<sd::SelectOp>(*nan, x, *result);
    }
  } else if (op == "IsNaN") {
    result = compareValues(node, x, x, "ne");
  } else {
    // IsInf: |x| == inf for both signs, x == +inf or x == -inf for one.
    bool positive = node.intAttr("detect_positive", 1) != 0;
    bool negative = node.intAttr("detect_negative", 1) != 0;
    if (!positive && !negative) {
      auto type = cast<RankedTensorType>(x.getType());
      result = node.constant(DenseElementsAttr::get(
          type.clone(IntegerType::get(node.context(), 1)), false));
    } else {
      FailureOr<Value> magnitude =
          positive && negative ? node.createUnary<sd::AbsOp>(x)
                               : FailureOr<Value>(x);
      if (succeeded(magnitude))
        result = compareValues(node, *magnitude,
                               scalar(positive ? INFINITY : -INFINITY), "eq");
    }
  }
  if (failed(result) || node.hadError())
    return failure();
  node.setOutput(0, *result);
  return success();
}

} // namespace

void registerLogicImporters(ImporterTable &table) {
  for (StringRef op : {"Equal", "Less", "Greater", "And", "Or", "Xor"})
    table[op] = {importLogic, 7};
  table["Not"] = {importLogic, 1}; // unchanged since opset 1
  table["LessOrEqual"] = {importLogic, 12};
  table["GreaterOrEqual"] = {importLogic, 12};
  table["Where"] = {importLogic, 9};
  table["Shrink"] = {importShrink, 9};
  table["Sign"] = {importSelective, 9};
  table["IsNaN"] = {importSelective, 9};
  table["IsInf"] = {importSelective, 10};
}

} // namespace sinter::onnx_import
