// What every op importer needs from a node: its inputs, outputs and attributes, and op creation with errors at the node.
#include "frontend/onnx/Importer.h"

using namespace mlir;

namespace sinter::onnx_import {

namespace {

StringRef attributeTypeName(onnx::AttributeProto::AttributeType type) {
  if (onnx::AttributeProto::AttributeType_IsValid(type))
    return onnx::AttributeProto::AttributeType_Name(type);
  return "an unknown kind";
}

} // namespace

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

bool NodeContext::hasInput(unsigned i) const {
  return i < numInputs() && !node.input(i).empty();
}

FailureOr<Value> NodeContext::input(unsigned i) {
  if (!hasInput(i))
    return emitError() << "missing required input #" << i;
  return state.lookup(node.input(i), location);
}

FailureOr<Value> NodeContext::optionalInput(unsigned i) {
  if (!hasInput(i))
    return Value();
  return state.lookup(node.input(i), location);
}

FailureOr<RankedTensorType> NodeContext::inputType(unsigned i) {
  if (DenseElementsAttr known = constantInput(i))
    return cast<RankedTensorType>(known.getType());
  FailureOr<Value> value = input(i);
  if (mlir::failed(value))
    return failure();
  return cast<RankedTensorType>(value->getType());
}

DenseElementsAttr NodeContext::constantInput(unsigned i) {
  if (!hasInput(i))
    return {};
  auto known = state.constants.find(node.input(i));
  return known == state.constants.end() ? DenseElementsAttr()
                                        : known->second.value;
}

FailureOr<DenseElementsAttr> NodeContext::requiredConstant(unsigned i,
                                                           StringRef what) {
  if (!hasInput(i))
    return emitError() << "missing required input #" << i << " (" << what
                       << ")";
  DenseElementsAttr known = constantInput(i);
  if (!known) {
    // Distinguish a typo in the graph from a value computed at run time.
    FailureOr<Value> value = state.lookup(node.input(i), location);
    if (mlir::failed(value))
      return failure();
    if (FailureOr<DenseElementsAttr> offered = offeredInput(*value, node.input(i));
        mlir::failed(offered) || *offered)
      return offered;
    // Or computed from offered inputs (a shape from a Shape/Slice/Concat chain).
    if (FailureOr<DenseElementsAttr> computed =
            evaluateWithOfferedInputs(*this, node.input(i));
        mlir::failed(computed) || *computed)
      return computed;
    return emitError() << "input '" << node.input(i) << "' (" << what
                       << ") must be known at compile time; Sinter compiles "
                          "static shapes only";
  }
  return known;
}

FailureOr<DenseElementsAttr> NodeContext::offeredInput(Value value,
                                                       StringRef name) {
  auto offered = state.offeredInputs.find(name);
  if (offered == state.offeredInputs.end() || !isa<BlockArgument>(value))
    return DenseElementsAttr();
  FailureOr<DenseElementsAttr> converted =
      convertTensor(*offered->second, value.getLoc(), "the given value");
  if (mlir::failed(converted))
    return failure();
  if (converted->getType() != value.getType())
    return emitError() << "the value given for input '" << name << "' has type "
                       << converted->getType() << ", but the model declares "
                       << value.getType();
  return *converted;
}

FailureOr<SmallVector<int64_t>> NodeContext::constantInts(unsigned i,
                                                          StringRef what) {
  FailureOr<DenseElementsAttr> known = requiredConstant(i, what);
  if (mlir::failed(known))
    return failure();
  if (!isa<IntegerType>(known->getElementType()))
    return emitError() << "input '" << node.input(i) << "' (" << what
                       << ") must be an integer tensor, got "
                       << known->getType();
  return toInt64s(*known);
}

bool NodeContext::outputUsed(unsigned i) const {
  return i < numOutputs() && !node.output(i).empty() &&
         state.used.contains(node.output(i));
}

void NodeContext::setOutput(unsigned i, Value value) {
  if (i >= numOutputs() || node.output(i).empty())
    return;
  state.constants.erase(node.output(i));
  state.values[node.output(i)] = value;
}

LogicalResult NodeContext::setOutput(unsigned i, FailureOr<Value> value) {
  if (failed(value))
    return failure();
  setOutput(i, *value);
  return success();
}

void NodeContext::setConstantOutput(unsigned i, DenseElementsAttr value) {
  if (i >= numOutputs() || node.output(i).empty())
    return;
  state.values.erase(node.output(i));
  state.constants[node.output(i)] = KnownConstant{value, location};
}

LogicalResult NodeContext::refuseOutputsFrom(unsigned first, StringRef what) {
  for (unsigned i = first; i < numOutputs(); ++i)
    if (outputUsed(i))
      return emitError() << "output #" << i << " ('" << node.output(i)
                         << "') is used, but " << what;
  return success();
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

int64_t NodeContext::intAttr(StringRef name, int64_t defaultValue) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return defaultValue;
  if (a->type() == onnx::AttributeProto::INT ||
      (a->type() == onnx::AttributeProto::UNDEFINED && a->has_i()))
    return a->i();
  emitError() << "attribute '" << name << "' must be an INT, got "
              << attributeTypeName(a->type());
  return defaultValue;
}

float NodeContext::floatAttr(StringRef name, float defaultValue) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return defaultValue;
  if (a->type() == onnx::AttributeProto::FLOAT ||
      (a->type() == onnx::AttributeProto::UNDEFINED && a->has_f()))
    return a->f();
  // Hand-written models put integral values in INT attributes.
  if (a->type() == onnx::AttributeProto::INT)
    return static_cast<float>(a->i());
  emitError() << "attribute '" << name << "' must be a FLOAT, got "
              << attributeTypeName(a->type());
  return defaultValue;
}

std::string NodeContext::stringAttr(StringRef name, StringRef defaultValue) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return defaultValue.str();
  if (a->type() == onnx::AttributeProto::STRING ||
      (a->type() == onnx::AttributeProto::UNDEFINED && a->has_s()))
    return a->s();
  emitError() << "attribute '" << name << "' must be a STRING, got "
              << attributeTypeName(a->type());
  return defaultValue.str();
}

SmallVector<int64_t> NodeContext::intsAttr(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  if (a->type() == onnx::AttributeProto::INTS ||
      a->type() == onnx::AttributeProto::UNDEFINED)
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  emitError() << "attribute '" << name << "' must be INTS, got "
              << attributeTypeName(a->type());
  return {};
}

FailureOr<int64_t> NodeContext::requiredIntAttr(StringRef name) {
  if (!hasAttr(name))
    return emitError() << "missing required attribute '" << name << "'";
  int64_t value = intAttr(name, 0);
  if (hadError())
    return failure();
  return value;
}

FailureOr<SmallVector<int64_t>>
NodeContext::requiredIntsAttr(StringRef name) {
  if (!hasAttr(name))
    return emitError() << "missing required attribute '" << name << "'";
  SmallVector<int64_t> value = intsAttr(name);
  if (hadError())
    return failure();
  return value;
}

//===----------------------------------------------------------------------===//
// Op creation
//===----------------------------------------------------------------------===//

Type NodeContext::placeholderType() {
  return RankedTensorType::get({}, Float32Type::get(context()));
}

FailureOr<Value> NodeContext::finish(Operation *op) {
  if (mlir::failed(mlir::verify(op))) {
    op->erase();
    return failure();
  }
  // Later shape arithmetic multiplies dimensions; refuse sizes that no
  // machine could hold before anything overflows.
  auto type = mlir::cast<RankedTensorType>(op->getResult(0).getType());
  int64_t elements = 1;
  for (int64_t dim : type.getShape()) {
    if (dim > kMaxTensorElements ||
        (dim > 0 && elements > kMaxTensorElements / dim)) {
      op->erase();
      return emitError() << "the result " << type << " is too large";
    }
    elements *= dim;
  }
  return op->getResult(0);
}

Value NodeContext::constant(DenseElementsAttr value) {
  return mlir::sinter::ConstantOp::create(builder(), location, value)
      .getResult();
}

Value NodeContext::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  return constant(DenseElementsAttr::get(type, scalarAttr(elementType, value)));
}

FailureOr<Value> NodeContext::reshape(Value input, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getShape() == shape)
    return input;
  return createTyped<mlir::sinter::ReshapeOp>(type.clone(shape), input);
}

FailureOr<Value> NodeContext::convert(Value input, Type elementType) {
  auto type = mlir::cast<RankedTensorType>(input.getType());
  if (type.getElementType() == elementType)
    return input;
  return createTyped<mlir::sinter::CastOp>(type.clone(elementType), input);
}

FailureOr<int64_t> normalizeAxisAt(NodeContext &node, int64_t axis,
                                   int64_t rank, StringRef what) {
  FailureOr<int64_t> normalized = mlir::sinter::normalizeAxis(axis, rank);
  if (mlir::failed(normalized))
    return node.emitError() << what << " " << axis
                            << " is out of range for rank " << rank;
  return normalized;
}

} // namespace sinter::onnx_import
