// If, Loop and Scan: subgraphs imported inline, only the branch taken, loops and scans unrolled.
#include "frontend/onnx/Importer.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"

#include <tuple>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The most body nodes an unrolled loop or scan may import (iterations times
/// the body's nodes): beyond it the compiled code would be huge.
constexpr int64_t kMaxUnrolledNodes = int64_t(1) << 18;

/// Why control flow must be decidable at compile time, for errors.
constexpr llvm::StringLiteral kStaticOnly =
    "Sinter compiles static graphs: it imports only the branch taken and "
    "unrolls loops, so this must be a constant, computed from constants, or "
    "computed from input values given to `sinter run`";

/// A value bound to a name: a compile-time constant (kept as one, so that
/// shape computations in a body fold) or an SSA value.
struct Bound {
  Value value;
  DenseElementsAttr constant;

  RankedTensorType type() const {
    return cast<RankedTensorType>(constant ? constant.getType()
                                           : value.getType());
  }
};

Bound constantBound(DenseElementsAttr value) { return Bound{Value(), value}; }

Value materialize(NodeContext &node, const Bound &bound) {
  return bound.value ? bound.value : node.constant(bound.constant);
}

FailureOr<Bound> boundInput(NodeContext &node, unsigned i) {
  if (DenseElementsAttr known = node.constantInput(i))
    return constantBound(known);
  FailureOr<Value> value = node.input(i);
  if (failed(value))
    return failure();
  return Bound{*value, DenseElementsAttr()};
}

void bindOutput(NodeContext &node, unsigned i, const Bound &bound) {
  if (bound.constant)
    node.setConstantOutput(i, bound.constant);
  else
    node.setOutput(i, bound.value);
}

/// The node's name as its location shows it ("#3" when it has none), the
/// prefix of its subgraph's node names.
std::string displayName(NodeContext &node) {
  if (auto fused = dyn_cast<FusedLoc>(node.loc()))
    if (!fused.getLocations().empty())
      if (auto name = dyn_cast<NameLoc>(fused.getLocations().front()))
        return name.getName().str();
  return node.proto().name();
}

FailureOr<const onnx::GraphProto *> graphAttr(NodeContext &node,
                                              StringRef name) {
  const onnx::AttributeProto *attribute = node.attr(name);
  if (!attribute)
    return node.emitError() << "missing required attribute '" << name << "'";
  if (!attribute->has_g())
    return node.emitError() << "attribute '" << name << "' must be a GRAPH";
  return &attribute->g();
}

/// Input `i` (`what`) as a compile-time value, or an error saying why it
/// must be one.
FailureOr<DenseElementsAttr> compileTimeInput(NodeContext &node, unsigned i,
                                              StringRef what) {
  if (DenseElementsAttr known = node.constantInput(i))
    return known;
  if (failed(node.input(i)))
    return failure();
  FailureOr<DenseElementsAttr> computed =
      evaluateWithOfferedInputs(node, node.proto().input(i));
  if (failed(computed) || *computed)
    return computed;
  return node.emitError() << what << " ('" << node.proto().input(i)
                          << "') is not known at compile time; "
                          << kStaticOnly;
}

FailureOr<bool> truthOf(NodeContext &node, DenseElementsAttr value,
                        StringRef what) {
  if (value.getNumElements() != 1)
    return node.emitError() << what << " must hold one element, got "
                            << value.getType();
  ElementNumber number = numberOf(value.getValues<Attribute>()[0]);
  return number.isFloat ? number.f != 0 : number.i != 0;
}

/// A one-element shape as `declared` gives it (`[1]` for some exporters'
/// iteration numbers), else a scalar's.
SmallVector<int64_t> oneElementShape(const onnx::ValueInfoProto &declared) {
  SmallVector<int64_t> shape;
  if (!declared.type().has_tensor_type() ||
      !declared.type().tensor_type().has_shape())
    return shape;
  for (const auto &dim : declared.type().tensor_type().shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() != 1)
      return {};
    shape.push_back(1);
  }
  return shape;
}

/// Checks a value entering or leaving a subgraph against the element type
/// the subgraph declares for it; sequences, optionals and maps are refused.
LogicalResult checkDeclared(NodeContext &node, const onnx::ValueInfoProto &info,
                            Type actual, StringRef what) {
  if (!info.has_type())
    return success();
  if (!info.type().has_tensor_type())
    return node.emitError()
           << what << " '" << info.name()
           << "' is not a tensor (sequence, optional and map values are not "
              "supported)";
  int32_t elemType = info.type().tensor_type().elem_type();
  if (elemType == 0)
    return success();
  Type declared = convertElementType(node.context(), elemType);
  if (declared == actual)
    return success();
  std::string text;
  llvm::raw_string_ostream(text) << actual;
  return node.emitError() << what << " '" << info.name() << "' is declared as "
                          << dataTypeName(elemType) << " but holds " << text;
}

/// Imports `graph` (`label` in errors) inline, its inputs bound to `inputs`
/// and its nodes named `scope` + name, and returns its outputs. The names it
/// defines are visible only while it is imported, so that a loop body can be
/// imported once per iteration. The first `evaluated` outputs, when not
/// constants, are computed from offered input values if they can be (a
/// loop's condition).
FailureOr<SmallVector<Bound>>
importSubgraph(NodeContext &node, const onnx::GraphProto &graph,
               StringRef label, ArrayRef<Bound> inputs, StringRef scope,
               unsigned evaluated = 0) {
  ImportState &state = node.importState();
  if (graph.input_size() != static_cast<int>(inputs.size()))
    return node.emitError() << label << " has " << graph.input_size()
                            << " inputs; this node gives it " << inputs.size();
  if (graph.sparse_initializer_size() > 0)
    return node.emitError() << label << " has sparse initializers, which are "
                                        "not supported";

  // Remember what the subgraph's names meant outside it.
  struct Saved {
    std::string name;
    std::optional<Value> value;
    std::optional<KnownConstant> constant;
  };
  SmallVector<Saved> saved;
  llvm::StringSet<> defined;
  auto define = [&](const std::string &name) {
    if (name.empty() || !defined.insert(name).second)
      return;
    Saved entry{name, std::nullopt, std::nullopt};
    if (auto value = state.values.find(name); value != state.values.end())
      entry.value = value->second;
    if (auto known = state.constants.find(name); known != state.constants.end())
      entry.constant = known->second;
    saved.push_back(std::move(entry));
  };
  for (const onnx::ValueInfoProto &input : graph.input())
    define(input.name());
  for (const onnx::TensorProto &tensor : graph.initializer())
    define(tensor.name());
  for (const onnx::NodeProto &inner : graph.node())
    for (const std::string &output : inner.output())
      define(output);
  auto restore = llvm::make_scope_exit([&] {
    for (Saved &entry : saved) {
      state.values.erase(entry.name);
      state.constants.erase(entry.name);
      if (entry.value)
        state.values[entry.name] = *entry.value;
      if (entry.constant)
        state.constants[entry.name] = *entry.constant;
    }
  });

  for (auto [k, input] : llvm::enumerate(graph.input())) {
    const Bound &bound = inputs[k];
    if (failed(checkDeclared(node, input, bound.type().getElementType(),
                             (label + " input").str())))
      return failure();
    state.values.erase(input.name());
    state.constants.erase(input.name());
    if (bound.constant)
      state.constants[input.name()] = KnownConstant{bound.constant, node.loc()};
    else
      state.values[input.name()] = bound.value;
  }
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    FailureOr<DenseElementsAttr> value = convertTensor(
        tensor, node.loc(), (label + " initializer '" + tensor.name() + "'").str());
    if (failed(value))
      return failure();
    state.values.erase(tensor.name());
    state.constants[tensor.name()] = KnownConstant{*value, node.loc()};
  }

  if (failed(importGraphNodes(state, graph, scope)))
    return failure();

  SmallVector<Bound> outputs;
  for (auto [k, output] : llvm::enumerate(graph.output())) {
    const std::string &name = output.name();
    Bound bound;
    if (auto known = state.constants.find(name); known != state.constants.end()) {
      bound = constantBound(known->second.value);
    } else {
      FailureOr<Value> value = state.lookup(name, node.loc());
      if (failed(value))
        return failure();
      bound.value = *value;
    }
    if (k < evaluated && !bound.constant) {
      // The body's nodes compute it: they are on the stack while evaluated.
      state.graphs.push_back(&graph);
      FailureOr<DenseElementsAttr> computed =
          evaluateWithOfferedInputs(node, name);
      state.graphs.pop_back();
      if (failed(computed))
        return failure();
      if (*computed)
        bound = constantBound(*computed);
    }
    if (failed(checkDeclared(node, output, bound.type().getElementType(),
                             (label + " output").str())))
      return failure();
    outputs.push_back(bound);
  }
  return outputs;
}

/// Joins one value per iteration along a new axis `axis` (counted in the
/// result's rank). `declared` gives the element shape when there are none.
FailureOr<Bound> stack(NodeContext &node, ArrayRef<Bound> items, int64_t axis,
                       const onnx::ValueInfoProto &declared, StringRef what) {
  if (items.empty()) {
    const onnx::TypeProto &type = declared.type();
    Type element = type.has_tensor_type()
                       ? convertElementType(node.context(),
                                            type.tensor_type().elem_type())
                       : Type();
    SmallVector<int64_t> shape;
    bool known = element && type.tensor_type().has_shape();
    if (known)
      for (const auto &dim : type.tensor_type().shape().dim()) {
        known &= dim.has_dim_value() && dim.dim_value() >= 0;
        shape.push_back(dim.dim_value());
      }
    if (!known)
      return node.emitError()
             << what << " has no iterations, and the body does not declare "
                        "the static shape and type of its elements";
    FailureOr<int64_t> at = normalizeAxisAt(
        node, axis, static_cast<int64_t>(shape.size()) + 1, what.str() + " axis");
    if (failed(at))
      return failure();
    shape.insert(shape.begin() + *at, 0);
    return constantBound(DenseElementsAttr::get(
        RankedTensorType::get(shape, element), ArrayRef<Attribute>()));
  }

  RankedTensorType type = items.front().type();
  FailureOr<int64_t> at =
      normalizeAxisAt(node, axis, type.getRank() + 1, what.str() + " axis");
  if (failed(at))
    return failure();
  bool constants = true;
  for (const Bound &item : items) {
    if (item.type() != type)
      return node.emitError() << what << " changes across iterations, from "
                              << type << " to " << item.type();
    constants &= static_cast<bool>(item.constant);
  }
  SmallVector<int64_t> unitShape(type.getShape());
  unitShape.insert(unitShape.begin() + *at, 1);
  auto unitType = type.clone(unitShape);
  if (constants && type.getNumElements() * static_cast<int64_t>(items.size()) <=
                       kMaxFoldElements) {
    SmallVector<DenseElementsAttr> parts;
    for (Bound item : items)
      parts.push_back(item.constant.reshape(unitType));
    return constantBound(foldConcat(parts, *at));
  }
  SmallVector<Value> parts;
  for (const Bound &item : items) {
    FailureOr<Value> part = node.reshape(materialize(node, item), unitShape);
    if (failed(part))
      return failure();
    parts.push_back(*part);
  }
  if (parts.size() == 1)
    return Bound{parts.front(), DenseElementsAttr()};
  FailureOr<Value> joined = node.create<sd::ConcatOp>(ValueRange(parts), *at);
  if (failed(joined))
    return failure();
  return Bound{*joined, DenseElementsAttr()};
}

/// Element `index` of `input` along `axis`, that axis dropped.
FailureOr<Bound> sliceAt(NodeContext &node, const Bound &input, int64_t axis,
                         int64_t index) {
  RankedTensorType type = input.type();
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()), steps(rank, 1);
  starts[axis] = index;
  sizes[axis] = 1;
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  if (input.constant && isFoldable(input.constant))
    return constantBound(foldSlice(input.constant, starts, sizes, steps)
                             .reshape(type.clone(shape)));
  FailureOr<Value> slice = node.create<sd::SliceOp>(materialize(node, input),
                                                    starts, sizes, steps);
  if (failed(slice))
    return failure();
  FailureOr<Value> dropped = node.reshape(*slice, shape);
  if (failed(dropped))
    return failure();
  return Bound{*dropped, DenseElementsAttr()};
}

LogicalResult checkUnrollSize(NodeContext &node, int64_t iterations,
                              const onnx::GraphProto &body) {
  int64_t perIteration = std::max(1, body.node_size());
  if (iterations <= kMaxUnrolledNodes / perIteration)
    return success();
  return node.emitError() << "unrolling " << iterations << " iterations of a "
                          << body.node_size()
                          << "-node body is too large (Sinter unrolls loops at "
                             "compile time, up to "
                          << kMaxUnrolledNodes << " body nodes in all)";
}

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

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

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

} // namespace

//===----------------------------------------------------------------------===//
// Subgraph support shared with the driver
//===----------------------------------------------------------------------===//

void collectUsedNames(const onnx::GraphProto &graph, llvm::StringSet<> &used) {
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &input : node.input())
      used.insert(input);
    for (const onnx::AttributeProto &attribute : node.attribute()) {
      if (attribute.has_g())
        collectUsedNames(attribute.g(), used);
      for (const onnx::GraphProto &subgraph : attribute.graphs())
        collectUsedNames(subgraph, used);
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    used.insert(output.name());
}

FailureOr<DenseElementsAttr> evaluateWithOfferedInputs(NodeContext &node,
                                                       StringRef name) {
  ImportState &state = node.importState();
  if (auto known = state.constants.find(name); known != state.constants.end())
    return known->second.value;
  if (state.offeredInputs.empty())
    return DenseElementsAttr();

  // The node computing each name; an inner graph's (imported later) wins.
  using Producer = std::pair<size_t, int>; // (graph depth, node index)
  llvm::StringMap<Producer> producers;
  for (auto [depth, graph] : llvm::enumerate(state.graphs))
    for (int index = 0; index < graph->node_size(); ++index)
      for (const std::string &output : graph->node(index).output())
        if (!output.empty())
          producers[output] = {depth, index};

  // Walk back from `name` to constants, offered inputs, and values that stay
  // unknown (other graph inputs, a loop body's inputs).
  llvm::StringMap<DenseElementsAttr> offered;
  SmallVector<Producer> slice;
  llvm::DenseSet<Producer> inSlice;
  llvm::StringSet<> seen;
  SmallVector<std::string> worklist{name.str()};
  while (!worklist.empty()) {
    std::string next = worklist.pop_back_val();
    if (next.empty() || !seen.insert(next).second ||
        state.constants.count(next))
      continue;
    if (auto value = state.values.find(next); value != state.values.end()) {
      FailureOr<DenseElementsAttr> given =
          node.offeredInput(value->second, next);
      if (failed(given))
        return failure();
      if (*given) {
        offered[next] = *given;
        continue;
      }
    }
    auto producer = producers.find(next);
    if (producer == producers.end() ||
        !inSlice.insert(producer->second).second)
      continue;
    slice.push_back(producer->second);
    const onnx::NodeProto &proto =
        state.graphs[producer->second.first]->node(producer->second.second);
    for (const std::string &input : proto.input())
      worklist.push_back(input);
    // Subgraphs read enclosing values by name.
    llvm::StringSet<> captured;
    for (const onnx::AttributeProto &attribute : proto.attribute()) {
      if (attribute.has_g())
        collectUsedNames(attribute.g(), captured);
      for (const onnx::GraphProto &subgraph : attribute.graphs())
        collectUsedNames(subgraph, captured);
    }
    for (const auto &entry : captured)
      worklist.push_back(entry.getKey().str());
  }
  if (offered.empty())
    return DenseElementsAttr();
  if (auto direct = offered.find(name); direct != offered.end())
    return direct->second;

  // Graphs list their nodes in order, and a subgraph's come after the outer
  // nodes it reads: (depth, index) order is a valid import order.
  llvm::sort(slice);
  onnx::GraphProto replay;
  for (auto [depth, index] : slice)
    *replay.add_node() = state.graphs[depth]->node(index);

  llvm::StringMap<Value> values = state.values;
  llvm::StringMap<KnownConstant> constants = state.constants;
  // Nested evaluations would find the same offered values substituted.
  llvm::StringMap<const onnx::TensorProto *> offeredInputs;
  std::swap(offeredInputs, state.offeredInputs);
  bool failedBefore = state.failed;
  for (const auto &entry : offered) {
    state.values.erase(entry.getKey());
    state.constants[entry.getKey()] = KnownConstant{entry.getValue(), node.loc()};
  }
  // What the replay builds beyond constants is thrown away; its errors too,
  // as the value is then simply not known.
  Block scratch;
  DenseElementsAttr result;
  {
    OpBuilder::InsertionGuard guard(state.builder);
    state.builder.setInsertionPointToEnd(&scratch);
    ScopedDiagnosticHandler quiet(state.context, [&](Diagnostic &) {
      state.failed = true;
      return success();
    });
    if (succeeded(importGraphNodes(state, replay, /*scope=*/"")) &&
        !state.failed)
      if (auto known = state.constants.find(name);
          known != state.constants.end())
        result = known->second.value;
  }
  state.values = std::move(values);
  state.constants = std::move(constants);
  std::swap(offeredInputs, state.offeredInputs);
  state.failed = failedBefore;
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(scratch)))
    op.erase();
  return result;
}

void registerControlFlowImporters(ImporterTable &table) {
  table["If"] = {importIf, 1};
  table["Loop"] = {importLoop, 1};
  table["Scan"] = {importScan, 8};
}

} // namespace sinter::onnx_import
