// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: the target class is picked with a one-hot comparison, so no gather reads out of range.
#include "frontend/onnx/Compose.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The checked operands of a loss: scores [N, C, d...], target [N, d...] and
/// an optional weight [C].
struct LossOperands {
  Value scores, target, weight;
  std::string reduction;
  std::optional<int64_t> ignoreIndex;
};

FailureOr<LossOperands> readLossOperands(NodeContext &node) {
  LossOperands ops;
  ops.reduction = node.stringAttr("reduction", "mean");
  if (node.hasAttr("ignore_index"))
    ops.ignoreIndex = node.intAttr("ignore_index", 0);
  FailureOr<Value> scores = node.input(0), target = node.input(1);
  FailureOr<Value> weight = node.optionalInput(2);
  if (failed(scores) || failed(target) || failed(weight) || node.hadError())
    return failure();
  if (ops.reduction != "none" && ops.reduction != "sum" &&
      ops.reduction != "mean")
    return node.emitError() << "reduction must be 'none', 'sum' or 'mean', "
                               "got '"
                            << ops.reduction << "'";
  auto scoresType = Compose::typeOf(*scores);
  auto targetType = Compose::typeOf(*target);
  if (scoresType.getRank() < 2 || !isa<FloatType>(scoresType.getElementType()))
    return node.emitError() << "scores must be a float [N, C, d...] tensor, got "
                            << scoresType;
  SmallVector<int64_t> wantTarget(scoresType.getShape());
  wantTarget.erase(wantTarget.begin() + 1);
  Type targetElement = targetType.getElementType();
  if (targetType.getShape() != ArrayRef<int64_t>(wantTarget) ||
      !(targetElement.isInteger(32) || targetElement.isInteger(64)))
    return node.emitError() << "target must be an int32 or int64 tensor of "
                               "the scores' shape without the class "
                               "dimension, got "
                            << targetType << " for scores " << scoresType;
  if (*weight) {
    auto weightType = Compose::typeOf(*weight);
    if (weightType.getShape() != ArrayRef<int64_t>{scoresType.getDimSize(1)} ||
        weightType.getElementType() != scoresType.getElementType())
      return node.emitError() << "weight must be [" << scoresType.getDimSize(1)
                              << "] of the scores' element type, got "
                              << weightType;
  }
  ops.scores = *scores;
  ops.target = *target;
  ops.weight = *weight;
  return ops;
}

/// -scores[n, target[n, d...], d...], weighted and reduced as ONNX's
/// NegativeLogLikelihoodLoss. Ignored targets contribute 0 to the loss and
/// to the weight sum that a mean divides by.
Value negativeLogLikelihood(Compose &c, const LossOperands &ops) {
  auto type = Compose::typeOf(ops.scores);
  Type element = type.getElementType();
  Type targetElement = Compose::elementOf(ops.target);
  int64_t rank = type.getRank(), classes = type.getDimSize(1);
  // onehot[n, c, d...] = target[n, d...] == c
  SmallVector<int64_t> targetShape(type.getShape());
  targetShape[1] = 1;
  SmallVector<int64_t> classShape(rank, 1);
  classShape[1] = classes;
  SmallVector<double> classIds;
  for (int64_t i = 0; i < classes; ++i)
    classIds.push_back(static_cast<double>(i));
  Value target = c.reshape(ops.target, targetShape);
  Value onehot = c.compare(target, "eq",
                           c.constant(targetElement, classShape, classIds));
  SmallVector<int64_t> classAxis = {1};
  Value zero = c.scalar(element, 0.0);
  Value loss = c.neg(
      c.reduceSum(c.select(onehot, ops.scores, zero), classAxis, false));
  Value weight;
  if (ops.weight)
    weight = c.reduceSum(
        c.select(onehot, c.reshape(ops.weight, classShape), zero), classAxis,
        false);
  if (ops.ignoreIndex) {
    Value kept = c.compare(ops.target, "ne",
                           c.scalar(targetElement, double(*ops.ignoreIndex)));
    loss = c.select(kept, loss, zero);
    weight = c.select(kept, weight ? weight : c.scalar(element, 1.0), zero);
  }
  if (weight)
    loss = c.mul(loss, weight);
  if (ops.reduction == "none" || !loss)
    return loss;
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < rank - 1; ++d)
    all.push_back(d);
  if (ops.reduction == "sum")
    return c.reduceSum(loss, all, false);
  if (weight)
    return c.div(c.reduceSum(loss, all, false), c.reduceSum(weight, all, false));
  return c.reduceMean(loss, all, false);
}

LogicalResult importNegativeLogLikelihoodLoss(NodeContext &node) {
  FailureOr<LossOperands> ops = readLossOperands(node);
  if (failed(ops))
    return failure();
  Compose c(node);
  Value loss = negativeLogLikelihood(c, *ops);
  return c.setOutput(0, loss);
}

/// SoftmaxCrossEntropyLoss: the NLL loss of log_softmax(scores) over the
/// classes; the optional second output is that log-probability.
LogicalResult importSoftmaxCrossEntropyLoss(NodeContext &node) {
  FailureOr<LossOperands> ops = readLossOperands(node);
  if (failed(ops))
    return failure();
  FailureOr<ShiftedLogSumExp> lse = shiftedLogSumExp(node, ops->scores, {1});
  if (failed(lse))
    return failure();
  Compose c(node);
  Value logProb = c.sub(lse->shifted, lse->logSum);
  if (c.failed())
    return failure();
  LossOperands onLog = *ops;
  onLog.scores = logProb;
  Value loss = negativeLogLikelihood(c, onLog);
  if (c.failed())
    return failure();
  node.setOutput(0, loss);
  node.setOutput(1, logProb);
  return success();
}

} // namespace

void registerLossImporters(ImporterTable &table) {
  table["NegativeLogLikelihoodLoss"] = {importNegativeLogLikelihoodLoss, 12};
  table["SoftmaxCrossEntropyLoss"] = {importSoftmaxCrossEntropyLoss, 12};
}

} // namespace sinter::onnx_import
