// Building composite ONNX ops (Attention, losses, recurrent cells, quantized ops) out of many sinter ops without a failure check after each one.
#ifndef SINTER_FRONTEND_ONNX_COMPOSE_H
#define SINTER_FRONTEND_ONNX_COMPOSE_H

#include "frontend/onnx/Importer.h"

namespace sinter::onnx_import {

/// Wraps a NodeContext so that a decomposition reads as a formula: every
/// method returns a null Value once anything failed (the error is already
/// reported at the node), and takes null operands as "give up". Callers check
/// `failed()` once, before setting outputs.
class Compose {
public:
  explicit Compose(NodeContext &node) : node(node) {}

  bool failed() const { return hasFailed; }
  NodeContext &context() { return node; }

  /// Ends a decomposition: sets the node's output `i` to `value` unless
  /// anything failed, and says which.
  mlir::LogicalResult setOutput(unsigned i, mlir::Value value) {
    if (hasFailed || !value)
      return mlir::failure();
    node.setOutput(i, value);
    return mlir::success();
  }

  static mlir::RankedTensorType typeOf(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType());
  }
  static llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
    return typeOf(v).getShape();
  }
  static mlir::Type elementOf(mlir::Value v) {
    return typeOf(v).getElementType();
  }

  /// Records a failure result of a NodeContext builder.
  mlir::Value take(mlir::FailureOr<mlir::Value> result) {
    if (mlir::failed(result)) {
      hasFailed = true;
      return {};
    }
    return *result;
  }

  template <typename OpTy> mlir::Value binary(mlir::Value a, mlir::Value b) {
    if (!a || !b)
      return fail();
    return take(node.create<OpTy>(a, b));
  }
  mlir::Value add(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::AddOp>(a, b);
  }
  mlir::Value sub(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::SubOp>(a, b);
  }
  mlir::Value mul(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::MulOp>(a, b);
  }
  mlir::Value div(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::DivOp>(a, b);
  }
  mlir::Value max(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::MaxOp>(a, b);
  }
  mlir::Value min(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::MinOp>(a, b);
  }
  mlir::Value pow(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::PowOp>(a, b);
  }
  mlir::Value matmul(mlir::Value a, mlir::Value b) {
    return binary<mlir::sinter::MatMulOp>(a, b);
  }

  template <typename OpTy> mlir::Value unary(mlir::Value x) {
    if (!x)
      return fail();
    return take(node.createUnary<OpTy>(x));
  }

  /// `lhs predicate rhs` (eq, ne, lt, le, gt, ge) as an i1 tensor.
  mlir::Value compare(mlir::Value lhs, llvm::StringRef predicate,
                      mlir::Value rhs) {
    if (!lhs || !rhs)
      return fail();
    return take(node.create<mlir::sinter::CompareOp>(lhs, rhs, predicate));
  }
  mlir::Value select(mlir::Value condition, mlir::Value onTrue,
                     mlir::Value onFalse) {
    if (!condition || !onTrue || !onFalse)
      return fail();
    return take(
        node.create<mlir::sinter::SelectOp>(condition, onTrue, onFalse));
  }

  mlir::Value reduceSum(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                        bool keep) {
    if (!x)
      return fail();
    return take(node.create<mlir::sinter::ReduceSumOp>(x, axes, keep));
  }
  mlir::Value reduceMean(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                         bool keep) {
    if (!x)
      return fail();
    return take(node.create<mlir::sinter::ReduceMeanOp>(x, axes, keep));
  }
  mlir::Value reduceMax(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                        bool keep) {
    if (!x)
      return fail();
    return take(node.create<mlir::sinter::ReduceMaxOp>(x, axes, keep));
  }
  /// min as -max(-x): the dialect has no reduce_min.
  mlir::Value reduceMin(mlir::Value x, llvm::ArrayRef<int64_t> axes,
                        bool keep) {
    return neg(reduceMax(neg(x), axes, keep));
  }

  mlir::Value neg(mlir::Value x) { return unary<mlir::sinter::NegOp>(x); }
  mlir::Value exp(mlir::Value x) { return unary<mlir::sinter::ExpOp>(x); }
  mlir::Value log(mlir::Value x) { return unary<mlir::sinter::LogOp>(x); }
  mlir::Value tanh(mlir::Value x) { return unary<mlir::sinter::TanhOp>(x); }
  mlir::Value sigmoid(mlir::Value x) {
    return unary<mlir::sinter::SigmoidOp>(x);
  }
  mlir::Value relu(mlir::Value x) { return unary<mlir::sinter::ReluOp>(x); }
  mlir::Value sqrt(mlir::Value x) { return unary<mlir::sinter::SqrtOp>(x); }
  mlir::Value abs(mlir::Value x) { return unary<mlir::sinter::AbsOp>(x); }

  mlir::Value softmax(mlir::Value x, int64_t axis) {
    if (!x)
      return fail();
    return take(node.createTyped<mlir::sinter::SoftmaxOp>(
        x.getType(), x, node.builder().getI64IntegerAttr(axis)));
  }

  mlir::Value reshape(mlir::Value x, llvm::ArrayRef<int64_t> shape) {
    if (!x)
      return fail();
    return take(node.reshape(x, shape));
  }
  mlir::Value convert(mlir::Value x, mlir::Type element) {
    if (!x)
      return fail();
    return take(node.convert(x, element));
  }
  mlir::Value transpose(mlir::Value x, llvm::ArrayRef<int64_t> perm) {
    if (!x)
      return fail();
    bool identity = true;
    for (auto [i, p] : llvm::enumerate(perm))
      identity &= static_cast<int64_t>(i) == p;
    if (identity)
      return x;
    return take(node.create<mlir::sinter::TransposeOp>(x, perm));
  }
  mlir::Value concat(llvm::ArrayRef<mlir::Value> parts, int64_t axis) {
    for (mlir::Value part : parts)
      if (!part)
        return fail();
    if (parts.size() == 1)
      return parts.front();
    return take(node.create<mlir::sinter::ConcatOp>(
        mlir::ValueRange(parts), axis));
  }
  /// Elements [start, start + size * step) by `step` along `axis`.
  mlir::Value slice(mlir::Value x, int64_t axis, int64_t start, int64_t size,
                    int64_t step = 1) {
    if (!x)
      return fail();
    llvm::ArrayRef<int64_t> shape = shapeOf(x);
    if (start == 0 && step == 1 && size == shape[axis])
      return x;
    llvm::SmallVector<int64_t> starts(shape.size(), 0), sizes(shape),
        steps(shape.size(), 1);
    starts[axis] = start;
    sizes[axis] = size;
    steps[axis] = step;
    return take(
        node.create<mlir::sinter::SliceOp>(x, starts, sizes, steps));
  }
  mlir::Value gather(mlir::Value data, mlir::Value indices, int64_t axis) {
    if (!data || !indices)
      return fail();
    return take(node.create<mlir::sinter::GatherOp>(data, indices, axis));
  }

  /// A rank-0 constant.
  mlir::Value scalar(mlir::Type element, double value) {
    return node.scalar(element, value);
  }
  /// A constant tensor of `shape` from row-major `values`.
  mlir::Value constant(mlir::Type element, llvm::ArrayRef<int64_t> shape,
                       llvm::ArrayRef<double> values) {
    auto type = mlir::RankedTensorType::get(shape, element);
    llvm::SmallVector<mlir::Attribute> elements;
    elements.reserve(values.size());
    for (double v : values)
      elements.push_back(scalarAttr(element, v));
    return node.constant(mlir::DenseElementsAttr::get(type, elements));
  }

  mlir::Value fail() {
    hasFailed = true;
    return {};
  }

private:
  NodeContext &node;
  bool hasFailed = false;
};

} // namespace sinter::onnx_import

#endif // SINTER_FRONTEND_ONNX_COMPOSE_H
