// ONNX ops resolved at compile time or passed through: Constant, ConstantOfShape, Shape, Size, Range, Cast, Identity and Dropout.
#include "frontend/onnx/DataTypes.h"

#include "llvm/Support/Format.h"

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

/// Whether `to` is an 8-bit float; fails on the attributes the lowering does
/// not model: E8M0 only saturates and rounds up (ONNX's defaults).
/// saturate=0 to the other four is sinter.narrow_cast's "float8".
FailureOr<bool> checkFloat8Cast(NodeContext &node, Type to) {
  if (!isFloat8(to))
    return false;
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

/// onnxDataType, following data movement up to 32 nodes back. The sub-byte
/// types need this: their carriers (i8, ui8) do not tell INT4 from INT8 or
/// FLOAT4E2M1 from UINT8.
static int32_t onnxDataType(NodeContext &node, llvm::StringRef name, int depth) {
  if (name.empty() || depth > 32)
    return 0;
  for (const onnx::GraphProto *graph :
       llvm::reverse(node.importState().graphs)) {
    for (const auto *list :
         {&graph->input(), &graph->output(), &graph->value_info()})
      for (const onnx::ValueInfoProto &v : *list)
        if (v.name() == name && v.type().has_tensor_type() &&
            v.type().tensor_type().elem_type() != 0)
          return v.type().tensor_type().elem_type();
    for (const onnx::TensorProto &t : graph->initializer())
      if (t.name() == name)
        return t.data_type();
    for (const onnx::NodeProto &producer : graph->node()) {
      if (llvm::none_of(producer.output(),
                        [&](const std::string &o) { return o == name; }))
        continue;
      auto attr = [&](llvm::StringRef a) -> const onnx::AttributeProto * {
        for (const onnx::AttributeProto &p : producer.attribute())
          if (p.name() == a)
            return &p;
        return nullptr;
      };
      llvm::StringRef op = producer.op_type();
      if (op == "Cast" && attr("to"))
        return attr("to")->i();
      if (op == "Constant" && attr("value"))
        return attr("value")->t().data_type();
      if (op == "CastLike" && producer.input_size() > 1)
        return onnxDataType(node, producer.input(1), depth + 1);
      if (op == "QuantizeLinear" && attr("output_dtype"))
        return attr("output_dtype")->i();
      if (op == "QuantizeLinear" && producer.input_size() > 2)
        return onnxDataType(node, producer.input(2), depth + 1);
      // Data movement keeps the element type of its first input.
      static const char *const movers[] = {
          "Identity", "Reshape", "Transpose", "Squeeze", "Unsqueeze",
          "Flatten",  "Slice",   "Gather",    "Concat",  "Expand",
          "Tile",     "Pad"};
      if (llvm::is_contained(movers, op) && producer.input_size() > 0)
        return onnxDataType(node, producer.input(0), depth + 1);
      return 0;
    }
  }
  return 0;
}

} // namespace

int32_t onnxDataType(NodeContext &node, llvm::StringRef name) {
  return onnxDataType(node, name, 0);
}

FailureOr<Value> narrowCast(NodeContext &node, Value x, Type element,
                            StringRef format, bool decode) {
  Builder b(node.context());
  auto type = cast<RankedTensorType>(x.getType());
  StringAttr name = b.getStringAttr(format);
  return node.createTyped<mlir::sinter::NarrowCastOp>(
      type.clone(element), x, decode ? name : StringAttr(),
      decode ? StringAttr() : name);
}

namespace {

/// Cast and CastLike. The sub-byte formats and saturate=0 to the 8-bit
/// floats go through sinter.narrow_cast; the rest is sinter.cast.
LogicalResult importCast(NodeContext &node) {
  Type to;
  int32_t toCode = 0;
  if (node.opType() == "CastLike") {
    FailureOr<RankedTensorType> target = node.inputType(1);
    if (failed(target))
      return failure();
    to = target->getElementType();
    toCode = onnxDataType(node, node.proto().input(1));
  } else {
    FailureOr<int64_t> code = node.requiredIntAttr("to");
    if (failed(code))
      return failure();
    toCode = static_cast<int32_t>(*code);
    to = convertElementType(node.context(), toCode);
    if (!to)
      return node.emitError() << "Cast to " << dataTypeName(*code)
                              << " is not supported";
  }
  FailureOr<bool> float8 = checkFloat8Cast(node, to);
  if (failed(float8))
    return failure();
  StringRef toFormat = subByteFormat(toCode);
  StringRef fromFormat =
      subByteFormat(onnxDataType(node, node.proto().input(0)));
  bool unsaturated = *float8 && !isa<Float8E8M0FNUType>(to) &&
                     node.intAttr("saturate", 1) == 0;
  // foldCast rounds as APFloat does, not as ONNX's 8-bit float casts do, and
  // knows nothing of the sub-byte formats.
  DenseElementsAttr known = node.constantInput(0);
  if (isFoldable(known) && !*float8 && !isFloat8(known.getElementType()) &&
      toFormat.empty() && fromFormat.empty()) {
    node.setConstantOutput(0, foldCast(known, to));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Value x = *input;
  auto type = cast<RankedTensorType>(x.getType());
  Builder b(node.context());
  Type f32 = b.getF32Type();
  if (fromFormat == "float4e2m1") {
    if (toFormat == "float4e2m1")
      return node.setOutput(0, FailureOr<Value>(x));
    // Decode straight to the target unless that is narrow too.
    bool narrowTarget = !toFormat.empty() || *float8;
    FailureOr<Value> decoded =
        narrowCast(node, x, narrowTarget ? f32 : to, fromFormat, true);
    if (failed(decoded) || !narrowTarget)
      return node.setOutput(0, decoded);
    x = *decoded;
    type = cast<RankedTensorType>(x.getType());
  }
  if (!toFormat.empty() || unsaturated) {
    // sinter.narrow_cast reads no 8-bit float: widen it (exactly) first.
    if (isFloat8(type.getElementType())) {
      FailureOr<Value> wide = node.convert(x, f32);
      if (failed(wide))
        return failure();
      x = *wide;
    }
    FailureOr<Value> result = narrowCast(
        node, x, to, toFormat.empty() ? "float8" : toFormat, false);
    return node.setOutput(0, result);
  }
  FailureOr<Value> result = node.convert(x, to);
  return node.setOutput(0, result);
}

/// Identity: the output is the input.
LogicalResult importPassThrough(NodeContext &node) {
  if (DenseElementsAttr known = node.constantInput(0)) {
    node.setConstantOutput(0, known);
    return success();
  }
  FailureOr<Value> input = node.input(0);
  return node.setOutput(0, input);
}

/// Dropout that drops nothing: inference mode (training_mode false or
/// absent, and always before opset 12) or a ratio of 0. The output is the
/// input and the mask all true. Training with a non-zero ratio would need
/// random numbers at run time, which a compiled model does not draw.
LogicalResult importDropout(NodeContext &node) {
  if (node.opset() >= 12 && node.hasInput(2)) {
    FailureOr<DenseElementsAttr> training =
        node.requiredConstant(2, "training_mode");
    if (failed(training))
      return failure();
    if (llvm::any_of(toInt64s(*training), [](int64_t v) { return v != 0; })) {
      double ratio = 0.5;
      if (node.hasInput(1)) {
        FailureOr<DenseElementsAttr> given = node.requiredConstant(1, "ratio");
        if (failed(given))
          return failure();
        if (!isa<FloatType>(given->getElementType()) ||
            given->getNumElements() != 1)
          return node.emitError() << "ratio must be a float scalar, got "
                                  << given->getType();
        ratio = (*given->getValues<APFloat>().begin()).convertToDouble();
      }
      if (ratio != 0.0) {
        std::string shown;
        llvm::raw_string_ostream(shown) << llvm::format("%g", ratio);
        return node.emitError()
               << "Dropout in training mode with ratio " << shown
               << " drops random elements; Sinter compiles deterministic "
                  "models only (export the model for inference)";
      }
    }
  }
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type) || failed(importPassThrough(node)))
    return failure();
  if (node.numOutputs() > 1 && node.outputUsed(1)) {
    // The mask is bool from opset 10, the data's type before.
    Type element = node.opset() >= 10
                       ? Type(IntegerType::get(node.context(), 1))
                       : type->getElementType();
    auto maskType = RankedTensorType::get(type->getShape(), element);
    Attribute one =
        isa<FloatType>(element)
            ? Attribute(FloatAttr::get(element, 1.0))
            : Attribute(IntegerAttr::get(element, 1));
    node.setConstantOutput(1, DenseElementsAttr::get(maskType, one));
  }
  return success();
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
  table["Dropout"] = {importDropout, 6};
}

} // namespace sinter::onnx_import
