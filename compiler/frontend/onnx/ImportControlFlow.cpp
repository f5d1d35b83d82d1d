// If and Loop: only the branch taken is imported, loops are unrolled.
#include "frontend/onnx/Subgraph.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace sinter::onnx_import {

using namespace controlflow;

namespace {

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult importIf(NodeContext &node) {
  FailureOr<const onnx::GraphProto *> thenBranch =
      graphAttr(node, "then_branch");
  if (failed(thenBranch))
    return failure();
  FailureOr<const onnx::GraphProto *> elseBranch =
      graphAttr(node, "else_branch");
  if (failed(elseBranch))
    return failure();
  FailureOr<DenseElementsAttr> cond =
      compileTimeInput(node, 0, "the condition");
  if (failed(cond))
    return failure();
  FailureOr<bool> taken = truthOf(node, *cond, "the condition");
  if (failed(taken))
    return failure();
  StringRef label = *taken ? "then_branch" : "else_branch";
  const onnx::GraphProto &branch = **(*taken ? thenBranch : elseBranch);
  if (branch.output_size() != static_cast<int>(node.numOutputs()))
    return node.emitError() << label << " has " << branch.output_size()
                            << " outputs, but the node has "
                            << node.numOutputs();
  FailureOr<SmallVector<Bound>> outputs = importSubgraph(
      node, branch, label, {}, displayName(node) + "/" + label.str() + "/");
  if (failed(outputs))
    return failure();
  for (auto [i, output] : llvm::enumerate(*outputs))
    bindOutput(node, i, output);
  return success();
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

LogicalResult importLoop(NodeContext &node) {
  FailureOr<const onnx::GraphProto *> bodyAttr = graphAttr(node, "body");
  if (failed(bodyAttr))
    return failure();
  const onnx::GraphProto &body = **bodyAttr;
  if (node.numInputs() < 2)
    return node.emitError() << "Loop expects at least 2 inputs (M and cond, "
                               "either may be empty), got "
                            << node.numInputs();
  unsigned carried = node.numInputs() - 2;
  if (body.input_size() != static_cast<int>(carried) + 2)
    return node.emitError()
           << "the body has " << body.input_size() << " inputs; with "
           << carried << " loop-carried values it needs " << carried + 2
           << " (iteration number, condition, loop-carried values)";
  if (body.output_size() < static_cast<int>(carried) + 1)
    return node.emitError()
           << "the body has " << body.output_size() << " outputs; with "
           << carried << " loop-carried values it needs at least "
           << carried + 1 << " (condition, loop-carried values, scan outputs)";
  unsigned scans = body.output_size() - 1 - carried;
  if (node.numOutputs() > carried + scans)
    return node.emitError() << "the node has " << node.numOutputs()
                            << " outputs, but its body makes only "
                            << carried + scans;

  std::optional<int64_t> tripCount;
  if (node.hasInput(0)) {
    FailureOr<DenseElementsAttr> m =
        compileTimeInput(node, 0, "the trip count M");
    if (failed(m))
      return failure();
    if (!isa<IntegerType>(m->getElementType()) || m->getNumElements() != 1)
      return node.emitError() << "the trip count M must be one integer, got "
                              << m->getType();
    tripCount = std::max<int64_t>(0, toInt64s(*m).front());
  }
  bool cond = true;
  if (node.hasInput(1)) {
    FailureOr<DenseElementsAttr> given =
        compileTimeInput(node, 1, "the condition");
    if (failed(given))
      return failure();
    FailureOr<bool> value = truthOf(node, *given, "the condition");
    if (failed(value))
      return failure();
    cond = *value;
  } else if (!tripCount) {
    return node.emitError() << "Loop has neither a trip count nor a "
                               "condition, so it never ends";
  }
  if (tripCount && cond && failed(checkUnrollSize(node, *tripCount, body)))
    return failure();

  SmallVector<Bound> values;
  for (unsigned j = 0; j < carried; ++j) {
    FailureOr<Bound> initial = boundInput(node, 2 + j);
    if (failed(initial))
      return failure();
    values.push_back(*initial);
  }
  std::string name = displayName(node);
  auto i64 = IntegerType::get(node.context(), 64);
  auto i1 = IntegerType::get(node.context(), 1);
  SmallVector<int64_t> iterationShape = oneElementShape(body.input(0));
  SmallVector<int64_t> condShape = oneElementShape(body.input(1));
  SmallVector<SmallVector<Bound>> scanned(scans);
  for (int64_t i = 0; cond && (!tripCount || i < *tripCount); ++i) {
    if (!tripCount && failed(checkUnrollSize(node, i + 1, body)))
      return failure();
    SmallVector<Bound> inputs;
    inputs.push_back(constantBound(makeIntAttr({i}, iterationShape, i64)));
    inputs.push_back(constantBound(
        DenseElementsAttr::get(RankedTensorType::get(condShape, i1), true)));
    inputs.append(values);
    // The condition after the last iteration M allows is never read.
    bool last = tripCount && i + 1 == *tripCount;
    FailureOr<SmallVector<Bound>> outputs = importSubgraph(
        node, body, "the body", inputs,
        name + "/body[" + std::to_string(i) + "]/", last ? 0 : 1);
    if (failed(outputs))
      return failure();
    if (!last) {
      if (!(*outputs)[0].constant)
        return node.emitError()
               << "the condition the body computes ('" << body.output(0).name()
               << "') is not known at compile time in iteration " << i << "; "
               << kStaticOnly;
      FailureOr<bool> next =
          truthOf(node, (*outputs)[0].constant, "the body's condition");
      if (failed(next))
        return failure();
      cond = *next;
    }
    values.assign(outputs->begin() + 1, outputs->begin() + 1 + carried);
    for (unsigned k = 0; k < scans; ++k)
      scanned[k].push_back((*outputs)[1 + carried + k]);
  }

  for (unsigned j = 0; j < carried && j < node.numOutputs(); ++j)
    bindOutput(node, j, values[j]);
  for (unsigned k = 0; k < scans && carried + k < node.numOutputs(); ++k) {
    if (!node.outputUsed(carried + k))
      continue;
    FailureOr<Bound> stacked =
        stack(node, scanned[k], 0, body.output(1 + carried + k),
              "scan output #" + std::to_string(k));
    if (failed(stacked))
      return failure();
    bindOutput(node, carried + k, *stacked);
  }
  return success();
}

} // namespace

void registerControlFlowImporters(ImporterTable &table) {
  table["If"] = {importIf, 1};
  table["Loop"] = {importLoop, 1};
  table["Scan"] = {importScan, 8};
}

} // namespace sinter::onnx_import
