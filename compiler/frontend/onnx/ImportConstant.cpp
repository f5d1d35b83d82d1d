// ONNX ops resolved at compile time or passed through: Constant, ConstantOfShape, Shape, Size, Range, Cast, Identity and Dropout.
#include "frontend/onnx/Importer.h"

#include <cmath>

using namespace mlir;

namespace sinter::onnx_import {

namespace {

/// Ranges are materialized element by element; keep them small enough to
/// hold in the compiler. (ConstantOfShape is a splat and costs nothing.)
constexpr int64_t kMaxRangeElements = int64_t(1) << 20;

LogicalResult importConstant(NodeContext &node) {
  Builder b(node.context());
  auto vector = [&](Type element, int64_t n) {
    return RankedTensorType::get({n}, element);
  };
  auto scalar = [&](Type element) { return RankedTensorType::get({}, element); };
  DenseElementsAttr value;
  if (const onnx::AttributeProto *a = node.attr("value")) {
    FailureOr<DenseElementsAttr> tensor =
        convertTensor(a->t(), node.loc(), "attribute 'value'");
    if (failed(tensor))
      return failure();
    value = *tensor;
  } else if (const onnx::AttributeProto *a = node.attr("value_float")) {
    value = DenseElementsAttr::get(scalar(b.getF32Type()), a->f());
  } else if (const onnx::AttributeProto *a = node.attr("value_floats")) {
    SmallVector<float> floats(a->floats().begin(), a->floats().end());
    value = DenseElementsAttr::get(vector(b.getF32Type(), floats.size()),
                                   ArrayRef<float>(floats));
  } else if (const onnx::AttributeProto *a = node.attr("value_int")) {
    value = DenseElementsAttr::get(scalar(b.getI64Type()),
                                   static_cast<int64_t>(a->i()));
  } else if (const onnx::AttributeProto *a = node.attr("value_ints")) {
    SmallVector<int64_t> ints(a->ints().begin(), a->ints().end());
    value = DenseElementsAttr::get(vector(b.getI64Type(), ints.size()),
                                   ArrayRef<int64_t>(ints));
  } else if (node.hasAttr("value_string") || node.hasAttr("value_strings")) {
    return node.emitError() << "string constants are not supported";
  } else if (node.hasAttr("sparse_value")) {
    return node.emitError() << "sparse constants are not supported";
  } else {
    return node.emitError() << "Constant has no value attribute";
  }
  node.setConstantOutput(0, value);
  return success();
}

LogicalResult importConstantOfShape(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.constantInts(0, "shape");
  if (failed(shape))
    return failure();
  int64_t count = 1;
  for (int64_t dim : *shape) {
    if (dim < 0 || dim > kMaxTensorElements ||
        (dim > 0 && count > kMaxTensorElements / dim))
      return node.emitError() << "invalid or too large shape [" << *shape
                              << "]";
    count *= dim;
  }
  Type elementType = Float32Type::get(node.context());
  Attribute element = FloatAttr::get(elementType, 0.0);
  if (const onnx::AttributeProto *a = node.attr("value")) {
    FailureOr<DenseElementsAttr> tensor =
        convertTensor(a->t(), node.loc(), "attribute 'value'");
    if (failed(tensor))
      return failure();
    if (tensor->getNumElements() != 1)
      return node.emitError() << "attribute 'value' must hold one element";
    element = *tensor->getValues<Attribute>().begin();
    elementType = tensor->getElementType();
  }
  node.setConstantOutput(0, DenseElementsAttr::get(
                                RankedTensorType::get(*shape, elementType),
                                element));
  return success();
}

LogicalResult importShape(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  int64_t start = node.intAttr("start", 0);
  int64_t end = node.intAttr("end", INT64_MAX);
  if (failed(type) || node.hadError())
    return failure();
  // Since opset 15: a window of the dimensions, clamped like a slice.
  int64_t rank = type->getRank();
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  start = clampIndex(start);
  end = std::max(start, clampIndex(end));
  ArrayRef<int64_t> dims = type->getShape().slice(start, end - start);
  node.setConstantOutput(
      0, makeIntAttr(dims, {static_cast<int64_t>(dims.size())},
                     IntegerType::get(node.context(), 64)));
  return success();
}

LogicalResult importSize(NodeContext &node) {
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type))
    return failure();
  node.setConstantOutput(0, makeIntAttr({type->getNumElements()}, {},
                                        IntegerType::get(node.context(), 64)));
  return success();
}

LogicalResult importRange(NodeContext &node) {
  SmallVector<DenseElementsAttr, 3> operands;
  const char *names[] = {"start", "limit", "delta"};
  for (unsigned i = 0; i < 3; ++i) {
    FailureOr<DenseElementsAttr> known = node.requiredConstant(i, names[i]);
    if (failed(known))
      return failure();
    operands.push_back(*known);
  }
  DenseElementsAttr start = operands[0], limit = operands[1],
                    delta = operands[2];
  Type element = start.getElementType();
  if (start.getNumElements() != 1 || limit.getNumElements() != 1 ||
      delta.getNumElements() != 1 || limit.getElementType() != element ||
      delta.getElementType() != element)
    return node.emitError() << "Range expects three scalars of one type";
  auto first = [](DenseElementsAttr attr) {
    return *foldCast(attr, Float64Type::get(attr.getContext()))
                .getValues<double>()
                .begin();
  };
  double s = first(start), l = first(limit), d = first(delta);
  if (d == 0 || !std::isfinite(s) || !std::isfinite(l) || !std::isfinite(d))
    return node.emitError() << "Range has a zero or non-finite delta or bound";
  double steps = std::ceil((l - s) / d);
  if (steps > kMaxRangeElements)
    return node.emitError() << "Range of " << steps << " elements is too large";
  int64_t n = std::max<int64_t>(0, static_cast<int64_t>(steps));
  auto type = RankedTensorType::get({n}, element);
  if (auto floatType = dyn_cast<FloatType>(element)) {
    SmallVector<Attribute> values;
    for (int64_t i = 0; i < n; ++i)
      values.push_back(FloatAttr::get(floatType, s + i * d));
    node.setConstantOutput(0, DenseElementsAttr::get(type, values));
  } else {
    int64_t is = toInt64s(start)[0], id = toInt64s(delta)[0];
    SmallVector<int64_t> values;
    for (int64_t i = 0; i < n; ++i)
      values.push_back(static_cast<int64_t>(static_cast<uint64_t>(is) +
                                            static_cast<uint64_t>(i) *
                                                static_cast<uint64_t>(id)));
    node.setConstantOutput(0, makeIntAttr(values, {n}, element));
  }
  return success();
}

bool isFloat8(Type type) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType, Float8E8M0FNUType>(type);
}

/// Whether `to` is an 8-bit float; fails on the attributes sinter.cast does
/// not model: it saturates (ONNX's default saturate=1) and rounds E8M0 up
/// (the default round_mode).
FailureOr<bool> checkFloat8Cast(NodeContext &node, Type to) {
  if (!isFloat8(to))
    return false;
  if (node.intAttr("saturate", 1) == 0 && !isa<Float8E8M0FNUType>(to))
    return node.emitError() << node.opType() << " to " << to
                            << " with saturate=0 is not supported";
  if (isa<Float8E8M0FNUType>(to)) {
    if (node.intAttr("saturate", 1) == 0)
      return node.emitError() << node.opType() << " to " << to
                              << " with saturate=0 is not supported";
    std::string mode = node.stringAttr("round_mode", "up");
    if (mode != "up")
      return node.emitError() << node.opType() << " to " << to
                              << " with round_mode='" << mode
                              << "' is not supported (only 'up')";
  }
  if (node.hadError())
    return failure();
  return true;
}

/// Cast and CastLike.
LogicalResult importCast(NodeContext &node) {
  Type to;
  if (node.opType() == "CastLike") {
    FailureOr<RankedTensorType> target = node.inputType(1);
    if (failed(target))
      return failure();
    to = target->getElementType();
  } else {
    FailureOr<int64_t> code = node.requiredIntAttr("to");
    if (failed(code))
      return failure();
    to = convertElementType(node.context(), *code);
    if (!to)
      return node.emitError() << "Cast to " << dataTypeName(*code)
                              << " is not supported";
  }
  FailureOr<bool> float8 = checkFloat8Cast(node, to);
  if (failed(float8))
    return failure();
  // foldCast rounds as APFloat does, not as ONNX's 8-bit float casts do.
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known) && !*float8 && !isFloat8(known.getElementType())) {
    node.setConstantOutput(0, foldCast(known, to));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.convert(*input, to);
  return node.setOutput(0, result);
}

/// Identity and inference-mode Dropout: the output is the input.
LogicalResult importPassThrough(NodeContext &node) {
  if (node.opType() == "Dropout") {
    if (failed(node.refuseOutputsFrom(
            1, "Sinter imports Dropout for inference and has no mask")))
      return failure();
    if (node.hasInput(2)) {
      DenseElementsAttr training = node.constantInput(2);
      if (!training)
        return node.emitError() << "training_mode must be known at compile "
                                   "time";
      if (llvm::any_of(toInt64s(training), [](int64_t v) { return v != 0; }))
        return node.emitError() << "Dropout with training_mode=true is not "
                                   "supported";
    }
  }
  if (DenseElementsAttr known = node.constantInput(0)) {
    node.setConstantOutput(0, known);
    return success();
  }
  FailureOr<Value> input = node.input(0);
  return node.setOutput(0, input);
}

} // namespace

void registerConstantImporters(ImporterTable &table) {
  table["Constant"] = {importConstant, 1};
  table["ConstantOfShape"] = {importConstantOfShape, 9};
  table["Shape"] = {importShape, 1};
  table["Size"] = {importSize, 1};
  table["Range"] = {importRange, 11};
  table["Cast"] = {importCast, 6};
  table["CastLike"] = {importCast, 15};
  table["Identity"] = {importPassThrough, 1};
  table["Dropout"] = {importPassThrough, 6};
}

} // namespace sinter::onnx_import
