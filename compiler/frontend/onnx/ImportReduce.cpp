// Reduction ONNX ops: ReduceSum/Mean/Max/Min/Prod and the norms built from them, with axes as attribute or input by opset.
#include "frontend/onnx/Importer.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// Axes to reduce, normalized and increasing; empty with `identity` set when
/// noop_with_empty_axes makes the op a copy.
struct ReduceAxes {
  SmallVector<int64_t> axes;
  bool identity = false;
};

FailureOr<ReduceAxes> readAxes(NodeContext &node, int64_t rank) {
  // ReduceSum took its axes as an input from opset 13, the others from 18.
  int64_t inputSince = node.opType() == "ReduceSum" ? 13 : 18;
  SmallVector<int64_t> axes;
  bool noop = false;
  if (node.opset() >= inputSince) {
    noop = node.intAttr("noop_with_empty_axes", 0) != 0;
    if (node.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "axes");
      if (failed(given))
        return failure();
      axes = *given;
    }
  } else {
    axes = node.intsAttr("axes");
  }
  if (node.hadError())
    return failure();
  ReduceAxes result;
  if (axes.empty()) {
    result.identity = noop;
    if (!noop)
      for (int64_t d = 0; d < rank; ++d)
        result.axes.push_back(d);
    return result;
  }
  for (int64_t axis : axes) {
    FailureOr<int64_t> d = normalizeAxisAt(node, axis, rank, "axis");
    if (failed(d))
      return failure();
    result.axes.push_back(*d);
  }
  llvm::sort(result.axes);
  if (std::adjacent_find(result.axes.begin(), result.axes.end()) !=
      result.axes.end())
    return node.emitError() << "axes [" << axes << "] repeat an axis";
  return result;
}

/// Reduces a small integer constant (shape arithmetic such as
/// ReduceProd(Shape(x)) computing a flattened size).
DenseElementsAttr foldReduce(DenseElementsAttr input, ArrayRef<int64_t> axes,
                             bool keepdims, StringRef opType) {
  ArrayRef<int64_t> shape = input.getType().getShape();
  SmallVector<int64_t> kept, outShape;
  for (int64_t d = 0, e = shape.size(); d < e; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (!reduced)
      kept.push_back(d);
    if (!reduced || keepdims)
      outShape.push_back(reduced ? 1 : shape[d]);
  }
  SmallVector<int64_t> values = toInt64s(input);
  int64_t outCount = 1;
  for (int64_t d : kept)
    outCount *= shape[d];
  SmallVector<int64_t> index(shape.size(), 0);
  SmallVector<bool> seen(outCount, false);
  SmallVector<int64_t> out(outCount, 0);
  for (int64_t value : values) {
    int64_t slot = 0;
    for (int64_t d : kept)
      slot = slot * shape[d] + index[d];
    int64_t &acc = out[slot];
    if (!seen[slot]) {
      acc = value;
      seen[slot] = true;
    } else if (opType == "ReduceSum") {
      acc += value;
    } else if (opType == "ReduceProd") {
      acc *= value;
    } else if (opType == "ReduceMax") {
      acc = std::max(acc, value);
    } else {
      acc = std::min(acc, value);
    }
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  // An empty reduction yields the op's identity.
  for (int64_t slot = 0; slot < outCount; ++slot)
    if (!seen[slot])
      out[slot] = opType == "ReduceProd" ? 1 : 0;
  return makeIntAttr(out, outShape, input.getElementType());
}

LogicalResult importReduce(NodeContext &node) {
  StringRef opType = node.opType();
  int64_t keepdims = node.intAttr("keepdims", 1);
  FailureOr<RankedTensorType> type = node.inputType(0);
  if (failed(type) || node.hadError())
    return failure();
  FailureOr<ReduceAxes> reduce = readAxes(node, type->getRank());
  if (failed(reduce))
    return failure();

  DenseElementsAttr known = node.constantInput(0);
  bool foldable = isFoldable(known) &&
                  isa<IntegerType>(known.getElementType()) &&
                  !known.getElementType().isInteger(1);
  if (foldable && (opType == "ReduceSum" || opType == "ReduceProd" ||
                   opType == "ReduceMax" || opType == "ReduceMin")) {
    node.setConstantOutput(
        0, reduce->identity
               ? known
               : foldReduce(known, reduce->axes, keepdims != 0, opType));
    return success();
  }
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  if (reduce->identity) {
    node.setOutput(0, *input);
    return success();
  }
  Value x = *input;
  ArrayRef<int64_t> axes = reduce->axes;
  bool keep = keepdims != 0;

  FailureOr<Value> result = failure();
  if (opType == "ReduceSum") {
    result = node.create<sd::ReduceSumOp>(x, axes, keep);
  } else if (opType == "ReduceMean") {
    result = node.create<sd::ReduceMeanOp>(x, axes, keep);
  } else if (opType == "ReduceMax") {
    result = node.create<sd::ReduceMaxOp>(x, axes, keep);
  } else if (opType == "ReduceMin") {
    result = node.create<sd::ReduceMinOp>(x, axes, keep);
  } else if (opType == "ReduceProd") {
    result = node.create<sd::ReduceProdOp>(x, axes, keep);
  } else if (opType == "ReduceL1") {
    FailureOr<Value> abs = node.createUnary<sd::AbsOp>(x);
    if (failed(abs))
      return failure();
    result = node.create<sd::ReduceSumOp>(*abs, axes, keep);
  } else if (opType == "ReduceL2" || opType == "ReduceSumSquare") {
    FailureOr<Value> square = node.create<sd::MulOp>(x, x);
    if (failed(square))
      return failure();
    result = node.create<sd::ReduceSumOp>(*square, axes, keep);
    if (succeeded(result) && opType == "ReduceL2")
      result = node.createUnary<sd::SqrtOp>(*result);
  } else if (opType == "ReduceLogSum") {
    result = node.create<sd::ReduceSumOp>(x, axes, keep);
    if (succeeded(result))
      result = node.createUnary<sd::LogOp>(*result);
  } else if (opType == "ReduceLogSumExp") {
    // log(sum(exp(x - max))) + max, which cannot overflow.
    FailureOr<ShiftedLogSumExp> lse = shiftedLogSumExp(node, x, axes);
    if (failed(lse))
      return failure();
    result = node.create<sd::AddOp>(lse->logSum, lse->max);
    if (succeeded(result) && !keep) {
      SmallVector<int64_t> shape;
      for (int64_t d = 0; d < type->getRank(); ++d)
        if (!llvm::is_contained(axes, d))
          shape.push_back(type->getDimSize(d));
      result = node.reshape(*result, shape);
    }
  }
  return node.setOutput(0, result);
}

} // namespace

FailureOr<ShiftedLogSumExp> shiftedLogSumExp(NodeContext &node, Value x,
                                             ArrayRef<int64_t> axes) {
  FailureOr<Value> max = node.create<sd::ReduceMaxOp>(x, axes, true);
  if (failed(max))
    return failure();
  FailureOr<Value> shifted = node.create<sd::SubOp>(x, *max);
  if (failed(shifted))
    return failure();
  FailureOr<Value> exp = node.createUnary<sd::ExpOp>(*shifted);
  if (failed(exp))
    return failure();
  FailureOr<Value> sum = node.create<sd::ReduceSumOp>(*exp, axes, true);
  if (failed(sum))
    return failure();
  FailureOr<Value> log = node.createUnary<sd::LogOp>(*sum);
  if (failed(log))
    return failure();
  return ShiftedLogSumExp{*max, *shifted, *log};
}

void registerReduceImporters(ImporterTable &table) {
  for (StringRef op :
       {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
        "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum",
        "ReduceLogSumExp"})
    table[op] = {importReduce, 1};
}

} // namespace sinter::onnx_import
