// SwiGLU (opset 28): Swish(A) * B, composed of dialect ops.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// Y = A * sigmoid(alpha * A) * B; A and B must have one shape (the spec
/// allows no broadcasting).
LogicalResult importSwiGLU(NodeContext &node) {
  FailureOr<Value> a = node.input(0), b = node.input(1);
  float alpha = node.floatAttr("alpha", 1.0f);
  if (failed(a) || failed(b) || node.hadError())
    return failure();
  auto type = cast<RankedTensorType>(a->getType());
  if (!isa<FloatType>(type.getElementType()))
    return node.emitError() << "SwiGLU of " << type.getElementType()
                            << " tensors is not supported";
  if (b->getType() != type)
    return node.emitError() << "SwiGLU expects A and B of one type, got "
                            << type << " and " << b->getType();
  FailureOr<Value> scaled =
      node.create<sd::MulOp>(*a, node.scalar(type.getElementType(), alpha));
  if (failed(scaled))
    return failure();
  FailureOr<Value> gate = node.createUnary<sd::SigmoidOp>(*scaled);
  if (failed(gate))
    return failure();
  FailureOr<Value> swish = node.create<sd::MulOp>(*a, *gate);
  if (failed(swish))
    return failure();
  return node.setOutput(0, node.create<sd::MulOp>(*swish, *b));
}

} // namespace

void registerSwiGLUImporters(ImporterTable &table) {
  table["SwiGLU"] = {importSwiGLU, 28};
}

} // namespace sinter::onnx_import
