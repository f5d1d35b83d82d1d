// Scan: unrolled over its static sequence length.
#include "frontend/onnx/Subgraph.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace sinter::onnx_import::controlflow {

namespace {

/// How a Scan walks its inputs and builds its outputs, attributes checked
/// and axes normalized.
struct ScanPlan {
  SmallVector<int64_t> inputAxes, inputReversed, outputAxes, outputReversed;
  int64_t length = 0;
  SmallVector<bool> outputWanted;
};

/// The final states and the stacked scan outputs of one unrolled scan.
struct ScanResult {
  SmallVector<Bound> states, outputs;
};

FailureOr<ScanResult> unrollScan(NodeContext &node,
                                 const onnx::GraphProto &body,
                                 SmallVector<Bound> states,
                                 ArrayRef<Bound> inputs, const ScanPlan &plan,
                                 StringRef scope) {
  unsigned stateCount = states.size();
  unsigned outputCount = body.output_size() - stateCount;
  SmallVector<SmallVector<Bound>> collected(outputCount);
  for (int64_t t = 0; t < plan.length; ++t) {
    SmallVector<Bound> bodyInputs(states);
    for (auto [j, input] : llvm::enumerate(inputs)) {
      int64_t index = plan.inputReversed[j] ? plan.length - 1 - t : t;
      FailureOr<Bound> element =
          sliceAt(node, input, plan.inputAxes[j], index);
      if (failed(element))
        return failure();
      bodyInputs.push_back(*element);
    }
    FailureOr<SmallVector<Bound>> outputs =
        importSubgraph(node, body, "the body", bodyInputs,
                       (scope + std::to_string(t) + "]/").str());
    if (failed(outputs))
      return failure();
    states.assign(outputs->begin(), outputs->begin() + stateCount);
    for (unsigned k = 0; k < outputCount; ++k)
      collected[k].push_back((*outputs)[stateCount + k]);
  }
  ScanResult result;
  result.states = std::move(states);
  for (unsigned k = 0; k < outputCount; ++k) {
    if (!plan.outputWanted[k]) {
      result.outputs.push_back(Bound());
      continue;
    }
    if (plan.outputReversed[k])
      std::reverse(collected[k].begin(), collected[k].end());
    FailureOr<Bound> stacked =
        stack(node, collected[k], plan.outputAxes[k],
              body.output(stateCount + k), "scan output #" + std::to_string(k));
    if (failed(stacked))
      return failure();
    result.outputs.push_back(*stacked);
  }
  return result;
}

/// A list attribute of `count` entries defaulting to zeros; `flags` ones
/// must be 0 or 1.
FailureOr<SmallVector<int64_t>> perInputAttr(NodeContext &node, StringRef name,
                                             unsigned count, bool flags) {
  if (!node.hasAttr(name))
    return SmallVector<int64_t>(count, 0);
  SmallVector<int64_t> values = node.intsAttr(name);
  if (node.hadError())
    return failure();
  if (values.size() != count)
    return node.emitError() << "attribute '" << name << "' has "
                            << values.size() << " entries; expected " << count;
  if (flags)
    for (int64_t value : values)
      if (value != 0 && value != 1)
        return node.emitError() << "attribute '" << name
                                << "' entries must be 0 (forward) or 1 "
                                   "(reverse), got "
                                << value;
  return values;
}

} // namespace

LogicalResult importScan(NodeContext &node) {
  FailureOr<const onnx::GraphProto *> bodyAttr = graphAttr(node, "body");
  if (failed(bodyAttr))
    return failure();
  const onnx::GraphProto &body = **bodyAttr;
  FailureOr<int64_t> scanInputs = node.requiredIntAttr("num_scan_inputs");
  if (failed(scanInputs))
    return failure();
  // Before opset 9 every input has a batch axis 0, scanned along axis 1,
  // and an optional sequence_lens input comes first.
  bool batched = node.opset() < 9;
  unsigned first = batched ? 1 : 0;
  if (*scanInputs < 1 || first + *scanInputs > node.numInputs())
    return node.emitError() << "num_scan_inputs is " << *scanInputs
                            << ", but the node has " << node.numInputs()
                            << " inputs";
  unsigned inputCount = *scanInputs;
  unsigned stateCount = node.numInputs() - first - inputCount;
  if (body.input_size() != static_cast<int>(stateCount + inputCount))
    return node.emitError() << "the body has " << body.input_size()
                            << " inputs; it needs " << stateCount + inputCount
                            << " (" << stateCount << " states, " << inputCount
                            << " scan inputs)";
  if (body.output_size() < static_cast<int>(stateCount))
    return node.emitError() << "the body has " << body.output_size()
                            << " outputs; it needs at least " << stateCount
                            << " (the states, then scan outputs)";
  unsigned outputCount = body.output_size() - stateCount;
  if (node.numOutputs() > stateCount + outputCount)
    return node.emitError() << "the node has " << node.numOutputs()
                            << " outputs, but its body makes only "
                            << stateCount + outputCount;

  ScanPlan plan;
  FailureOr<SmallVector<int64_t>> inputReversed = perInputAttr(
      node, batched ? "directions" : "scan_input_directions", inputCount, true);
  if (failed(inputReversed))
    return failure();
  plan.inputReversed = *inputReversed;
  if (batched) {
    plan.inputAxes.assign(inputCount, 0);
    plan.outputAxes.assign(outputCount, 0);
    plan.outputReversed.assign(outputCount, 0);
  } else {
    FailureOr<SmallVector<int64_t>> inputAxes =
        perInputAttr(node, "scan_input_axes", inputCount, false);
    FailureOr<SmallVector<int64_t>> outputAxes =
        perInputAttr(node, "scan_output_axes", outputCount, false);
    FailureOr<SmallVector<int64_t>> outputReversed =
        perInputAttr(node, "scan_output_directions", outputCount, true);
    if (failed(inputAxes) || failed(outputAxes) || failed(outputReversed))
      return failure();
    plan.inputAxes = *inputAxes;
    plan.outputAxes = *outputAxes;
    plan.outputReversed = *outputReversed;
  }
  for (unsigned k = 0; k < outputCount; ++k)
    plan.outputWanted.push_back(batched || node.outputUsed(stateCount + k));

  SmallVector<Bound> states, inputs;
  for (unsigned j = 0; j < stateCount + inputCount; ++j) {
    FailureOr<Bound> value = boundInput(node, first + j);
    if (failed(value))
      return failure();
    (j < stateCount ? states : inputs).push_back(*value);
  }
  // The scanned axis of each input (after the batch axis, if any).
  int64_t skip = batched ? 1 : 0;
  for (auto [j, input] : llvm::enumerate(inputs)) {
    int64_t rank = input.type().getRank() - skip;
    if (rank < 1)
      return node.emitError() << "scan input #" << j << " " << input.type()
                              << " has no axis to scan";
    FailureOr<int64_t> axis =
        normalizeAxisAt(node, plan.inputAxes[j], rank, "scan input axis");
    if (failed(axis))
      return failure();
    plan.inputAxes[j] = *axis;
    int64_t length = input.type().getDimSize(*axis + skip);
    if (j == 0)
      plan.length = length;
    else if (length != plan.length)
      return node.emitError() << "scan input #" << j << " " << input.type()
                              << " has " << length << " steps, but scan "
                              << "input #0 has " << plan.length;
  }
  std::string scope = displayName(node) + "/body[";

  if (!batched) {
    if (failed(checkUnrollSize(node, plan.length, body)))
      return failure();
    FailureOr<ScanResult> result =
        unrollScan(node, body, states, inputs, plan, scope);
    if (failed(result))
      return failure();
    for (unsigned j = 0; j < stateCount && j < node.numOutputs(); ++j)
      bindOutput(node, j, result->states[j]);
    for (unsigned k = 0; k < outputCount && stateCount + k < node.numOutputs();
         ++k)
      if (plan.outputWanted[k])
        bindOutput(node, stateCount + k, result->outputs[k]);
    return success();
  }

  // Opset 8: one scan per batch entry, the results stacked along axis 0.
  int64_t batch = inputs.front().type().getDimSize(0);
  for (const Bound &value : llvm::concat<const Bound>(states, inputs))
    if (value.type().getRank() < 1 || value.type().getDimSize(0) != batch)
      return node.emitError() << "every state and scan input needs the batch "
                                 "axis 0 of size "
                              << batch << ", got " << value.type();
  if (batch < 1)
    return node.emitError() << "the batch is empty";
  if (node.hasInput(0)) {
    FailureOr<SmallVector<int64_t>> lengths =
        node.constantInts(0, "sequence_lens");
    if (failed(lengths))
      return failure();
    for (int64_t length : *lengths)
      if (length != plan.length)
        return node.emitError()
               << "sequence_lens holds " << length << ", but only sequences "
               << "of the full length " << plan.length << " are supported";
  }
  if (failed(checkUnrollSize(node, batch * plan.length, body)))
    return failure();
  SmallVector<SmallVector<Bound>> finals(stateCount), outputs(outputCount);
  for (int64_t b = 0; b < batch; ++b) {
    SmallVector<Bound> entryStates, entryInputs;
    for (const Bound &state : states) {
      FailureOr<Bound> entry = sliceAt(node, state, 0, b);
      if (failed(entry))
        return failure();
      entryStates.push_back(*entry);
    }
    for (const Bound &input : inputs) {
      FailureOr<Bound> entry = sliceAt(node, input, 0, b);
      if (failed(entry))
        return failure();
      entryInputs.push_back(*entry);
    }
    FailureOr<ScanResult> result =
        unrollScan(node, body, entryStates, entryInputs, plan,
                   scope + std::to_string(b) + ",");
    if (failed(result))
      return failure();
    for (unsigned j = 0; j < stateCount; ++j)
      finals[j].push_back(result->states[j]);
    for (unsigned k = 0; k < outputCount; ++k)
      outputs[k].push_back(result->outputs[k]);
  }
  for (unsigned i = 0; i < stateCount + outputCount && i < node.numOutputs();
       ++i) {
    if (!node.outputUsed(i))
      continue;
    bool isState = i < stateCount;
    FailureOr<Bound> stacked =
        stack(node, isState ? finals[i] : outputs[i - stateCount], 0,
              body.output(i), isState ? "a final state" : "a scan output");
    if (failed(stacked))
      return failure();
    bindOutput(node, i, *stacked);
  }
  return success();
}

} // namespace sinter::onnx_import::controlflow
