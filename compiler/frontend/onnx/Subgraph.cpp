// Importing ONNX subgraphs inline: bound values, the subgraph importer, stacking and slicing per iteration.
#include "frontend/onnx/Subgraph.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/ScopeExit.h"

#include <tuple>

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace controlflow {


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
               unsigned evaluated) {
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

} // namespace controlflow

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

} // namespace sinter::onnx_import
