// Linear-algebra ONNX ops: Gemm, MatMul and Conv.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

FailureOr<Value> transpose2d(NodeContext &node, Value value) {
  return node.create<sd::TransposeOp>(value, ArrayRef<int64_t>{1, 0});
}

/// Gemm: alpha * A' * B' + beta * C, with ' the optional transposes.
LogicalResult importGemm(NodeContext &node) {
  FailureOr<Value> a = node.input(0), b = node.input(1);
  FailureOr<Value> c = node.optionalInput(2);
  float alpha = node.floatAttr("alpha", 1.0f);
  float beta = node.floatAttr("beta", 1.0f);
  int64_t transA = node.intAttr("transA", 0);
  int64_t transB = node.intAttr("transB", 0);
  if (failed(a) || failed(b) || failed(c) || node.hadError())
    return failure();
  auto aType = cast<RankedTensorType>(a->getType());
  auto bType = cast<RankedTensorType>(b->getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return node.emitError() << "Gemm expects 2-D A and B, got " << aType
                            << " and " << bType;
  Value lhs = *a, rhs = *b;
  if (transA) {
    FailureOr<Value> t = transpose2d(node, lhs);
    if (failed(t))
      return failure();
    lhs = *t;
  }
  if (transB) {
    FailureOr<Value> t = transpose2d(node, rhs);
    if (failed(t))
      return failure();
    rhs = *t;
  }
  FailureOr<Value> result = node.create<sd::MatMulOp>(lhs, rhs);
  if (failed(result))
    return failure();
  Type element = aType.getElementType();
  if (alpha != 1.0f) {
    result = node.create<sd::MulOp>(*result, node.scalar(element, alpha));
    if (failed(result))
      return failure();
  }
  if (*c && beta != 0.0f) {
    Value bias = *c;
    if (beta != 1.0f) {
      FailureOr<Value> scaled =
          node.create<sd::MulOp>(bias, node.scalar(element, beta));
      if (failed(scaled))
        return failure();
      bias = *scaled;
    }
    // C broadcasts to [M, N] only: a C that would widen the product is an
    // error in ONNX, and add would silently accept it.
    auto product = cast<RankedTensorType>(result->getType());
    result = node.create<sd::AddOp>(*result, bias);
    if (failed(result))
      return failure();
    if (result->getType() != product)
      return node.emitError() << "C of type " << bias.getType()
                              << " does not broadcast to " << product;
  }
  node.setOutput(0, *result);
  return success();
}

/// MatMul with numpy semantics: a 1-D operand becomes a matrix for the
/// product and its unit dimension is dropped from the result.
LogicalResult importMatMul(NodeContext &node) {
  FailureOr<Value> a = node.input(0), b = node.input(1);
  if (failed(a) || failed(b))
    return failure();
  auto aType = cast<RankedTensorType>(a->getType());
  auto bType = cast<RankedTensorType>(b->getType());
  if (aType.getRank() == 0 || bType.getRank() == 0)
    return node.emitError() << "MatMul operands must have rank 1 or more, got "
                            << aType << " and " << bType;
  Value lhs = *a, rhs = *b;
  bool vectorLhs = aType.getRank() == 1, vectorRhs = bType.getRank() == 1;
  if (vectorLhs) {
    FailureOr<Value> m = node.reshape(lhs, {1, aType.getDimSize(0)});
    if (failed(m))
      return failure();
    lhs = *m;
  }
  if (vectorRhs) {
    FailureOr<Value> m = node.reshape(rhs, {bType.getDimSize(0), 1});
    if (failed(m))
      return failure();
    rhs = *m;
  }
  FailureOr<Value> result = node.create<sd::MatMulOp>(lhs, rhs);
  if (failed(result))
    return failure();
  if (vectorLhs || vectorRhs) {
    auto type = cast<RankedTensorType>(result->getType());
    SmallVector<int64_t> shape(type.getShape());
    if (vectorRhs)
      shape.erase(shape.end() - 1);
    if (vectorLhs)
      shape.erase(shape.end() - (vectorRhs ? 1 : 2));
    result = node.reshape(*result, shape);
    if (failed(result))
      return failure();
  }
  node.setOutput(0, *result);
  return success();
}

/// Conv: N-d, grouped, dilated, with auto_pad resolved from static shapes.
LogicalResult importConv(NodeContext &node) {
  FailureOr<Value> x = node.input(0), w = node.input(1);
  FailureOr<Value> bias = node.optionalInput(2);
  if (failed(x) || failed(w) || failed(bias))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  auto wType = cast<RankedTensorType>(w->getType());
  if (xType.getRank() < 3 || wType.getRank() != xType.getRank())
    return node.emitError() << "Conv expects X [N, C, spatial...] and W of the "
                               "same rank, got "
                            << xType << " and " << wType;
  int64_t spatial = xType.getRank() - 2;
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  SmallVector<int64_t> kernelAttr = node.intsAttr("kernel_shape");
  SmallVector<int64_t> strides = node.intsAttr("strides");
  SmallVector<int64_t> dilations = node.intsAttr("dilations");
  int64_t group = node.intAttr("group", 1);
  if (node.hadError())
    return failure();
  if (failed(checkKernelShape(node, kernelAttr, kernel)))
    return failure();
  if (strides.empty())
    strides.assign(spatial, 1);
  if (dilations.empty())
    dilations.assign(spatial, 1);
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial)
    return node.emitError() << "expected " << spatial
                            << " strides and dilations, got " << strides.size()
                            << " and " << dilations.size();
  FailureOr<SmallVector<int64_t>> pads = resolvePads(
      node, xType.getShape().drop_front(2), kernel, strides, dilations);
  if (failed(pads))
    return failure();
  FailureOr<Value> result = node.create<sd::ConvOp>(
      *x, *w, *bias, strides, dilations, *pads, group);
  return node.setOutput(0, result);
}

} // namespace

LogicalResult checkKernelShape(NodeContext &node, ArrayRef<int64_t> kernelAttr,
                               ArrayRef<int64_t> kernel) {
  if (!kernelAttr.empty() && kernelAttr != kernel)
    return node.emitError() << "kernel_shape [" << kernelAttr
                            << "] disagrees with the weight's spatial shape ["
                            << kernel << "]";
  return success();
}

void registerLinearImporters(ImporterTable &table) {
  table["Gemm"] = {importGemm, 6};
  table["MatMul"] = {importMatMul, 1};
  table["Conv"] = {importConv, 1};
}

} // namespace sinter::onnx_import
