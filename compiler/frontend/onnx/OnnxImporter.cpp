// The ONNX frontend's driver: reads a model, declares its inputs and outputs, and dispatches each node to its op importer.
#include "frontend/onnx/OnnxImporter.h"
#include "frontend/onnx/OpSupport.h"
#include "frontend/onnx/Importer.h"

#include "sinter/Dialect/SinterDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <climits>

using namespace mlir;

namespace sinter {
namespace onnx_import {

Location fileLocation(MLIRContext *context, StringRef path) {
  return FileLineColLoc::get(context, path, 0, 0);
}

Location valueLocation(Location file, StringRef kind, StringRef name) {
  MLIRContext *context = file->getContext();
  return NameLoc::get(StringAttr::get(context, (kind + " '" + name + "'").str()),
                      file);
}

Location nodeLocation(Location file, StringRef name, StringRef opType) {
  MLIRContext *context = file->getContext();
  Location named = NameLoc::get(StringAttr::get(context, name), file);
  return FusedLoc::get(context, {named}, StringAttr::get(context, opType));
}

FailureOr<Value> ImportState::lookup(StringRef name, Location useLoc) {
  auto value = values.find(name);
  if (value != values.end())
    return value->second;
  auto known = constants.find(name);
  if (known != constants.end()) {
    Value materialized =
        mlir::sinter::ConstantOp::create(builder, Location(known->second.loc),
                                         known->second.value)
            .getResult();
    values[name] = materialized;
    return materialized;
  }
  return emitError(useLoc) << "value '" << name
                           << "' is not produced by any earlier node, "
                              "initializer or graph input";
}

} // namespace onnx_import

using namespace onnx_import;

namespace {

const ImporterTable &importerTable() {
  static const ImporterTable table = [] {
    ImporterTable t;
    registerElementwiseImporters(t);
    registerMathImporters(t);
    registerLinearImporters(t);
    registerConvTransposeImporters(t);
    registerEinsumImporters(t);
    registerQuantImporters(t);
    registerPoolImporters(t);
    registerNormImporters(t);
    registerReduceImporters(t);
    registerShapeImporters(t);
    registerIndexingImporters(t);
    registerGatherScatterImporters(t);
    registerSelectionImporters(t);
    registerResizeImporters(t);
    registerVisionImporters(t);
    registerSignalImporters(t);
    registerConstantImporters(t);
    registerBitCastImporters(t);
    registerSwiGLUImporters(t);
    registerCompileTimeImporters(t);
    registerLogicImporters(t);
    registerAttentionImporters(t);
    registerLossImporters(t);
    registerRecurrentImporters(t);
    registerControlFlowImporters(t);
    return t;
  }();
  return table;
}

} // namespace

std::vector<OnnxOpSupport> supportedOnnxOps() {
  std::vector<OnnxOpSupport> ops;
  for (const auto &entry : importerTable()) {
    OnnxOpSupport op;
    op.opType = entry.getKey().str();
    op.minOpset = entry.getValue().minOpset;
    if (const OpNotes *notes = findOpNotes(op.opType)) {
      op.dtypes = notes->dtypes;
      op.limits = notes->limits;
    }
    ops.push_back(std::move(op));
  }
  llvm::sort(ops, [](const OnnxOpSupport &a, const OnnxOpSupport &b) {
    return a.opType < b.opType;
  });
  return ops;
}

namespace {

std::string joinShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

/// Imports one parsed model; every failure has emitted an error before
/// returning null.
class ModelImporter {
public:
  ModelImporter(ImportState &state, const OnnxImportOptions &options)
      : state(state), options(options) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  LogicalResult readOpset(const onnx::ModelProto &model);
  LogicalResult addInitializers(const onnx::GraphProto &graph);
  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &input,
                                        Location loc);

  ImportState &state;
  const OnnxImportOptions &options;
};

LogicalResult ModelImporter::readOpset(const onnx::ModelProto &model) {
  std::optional<int64_t> version;
  for (const onnx::OperatorSetIdProto &entry : model.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      version = entry.version();
  if (!version)
    return emitError(state.file)
           << "the model imports no version of the default ONNX operator set";
  // Each operator's table entry says from which opset on its importer holds.
  if (*version < 1)
    return emitError(state.file)
           << "the model imports ONNX opset " << *version
           << ", which does not exist";
  state.opset = *version;
  return success();
}

LogicalResult ModelImporter::addInitializers(const onnx::GraphProto &graph) {
  if (graph.sparse_initializer_size() > 0)
    return emitError(valueLocation(
               state.file, "initializer",
               graph.sparse_initializer(0).values().name()))
           << "sparse initializers are not supported";
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    Location loc = valueLocation(state.file, "initializer", tensor.name());
    FailureOr<DenseElementsAttr> value =
        convertTensor(tensor, loc, /*what=*/"");
    if (failed(value))
      return failure();
    state.constants[tensor.name()] = KnownConstant{*value, loc};
  }
  return success();
}

FailureOr<RankedTensorType>
ModelImporter::inputType(const onnx::ValueInfoProto &input, Location loc) {
  const std::string &name = input.name();
  if (!input.type().has_tensor_type())
    return emitError(loc) << "not a tensor (sequence, map, optional and sparse "
                             "inputs are not supported)";
  const onnx::TypeProto::Tensor &tensor = input.type().tensor_type();
  Type element = convertElementType(state.context, tensor.elem_type());
  if (!element)
    return emitError(loc) << "element type " << dataTypeName(tensor.elem_type())
                          << " is not supported";

  SmallVector<int64_t> shape;
  auto fixed = options.inputShapes.find(name);
  if (fixed != options.inputShapes.end()) {
    shape.assign(fixed->second.begin(), fixed->second.end());
    if (tensor.has_shape() &&
        tensor.shape().dim_size() != static_cast<int64_t>(shape.size()))
      return emitError(loc) << "--input-shape " << name << "="
                            << joinShape(shape) << " has rank " << shape.size()
                            << ", but the model declares rank "
                            << tensor.shape().dim_size();
  } else {
    if (!tensor.has_shape())
      return emitError(loc) << "no declared shape; fix it with --input-shape "
                            << name << "=D0xD1x...";
    SmallVector<int64_t> suggestion;
    std::optional<int64_t> unknown;
    std::string unknownName;
    for (auto [i, dim] : llvm::enumerate(tensor.shape().dim())) {
      if (dim.has_dim_value() && dim.dim_value() >= 0) {
        shape.push_back(dim.dim_value());
        suggestion.push_back(dim.dim_value());
        continue;
      }
      if (!unknown) {
        unknown = i;
        unknownName = dim.has_dim_param() ? dim.dim_param() : "";
      }
      suggestion.push_back(1);
    }
    // `sinter run` knows the shape from the input file it was given.
    auto offered = state.offeredInputs.find(name);
    if (unknown && offered != state.offeredInputs.end() &&
        offered->second->dims_size() == tensor.shape().dim_size()) {
      shape.clear();
      for (auto [i, dim] : llvm::enumerate(tensor.shape().dim()))
        shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                            ? dim.dim_value()
                            : offered->second->dims(i));
      unknown.reset();
    }
    if (unknown) {
      InFlightDiagnostic diag = emitError(loc);
      diag << "dimension " << *unknown;
      if (!unknownName.empty())
        diag << " ('" << unknownName << "')";
      return diag << " is not fixed; set it with --input-shape " << name << "="
                  << joinShape(suggestion);
    }
  }
  int64_t elements = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || dim > kMaxTensorElements ||
        (dim > 0 && elements > kMaxTensorElements / dim))
      return emitError(loc) << "shape " << joinShape(shape)
                            << " is invalid or too large";
    elements *= dim;
  }
  return RankedTensorType::get(shape, element);
}

} // namespace

LogicalResult onnx_import::importGraphNodes(ImportState &state,
                                            const onnx::GraphProto &graph,
                                            StringRef scope) {
  state.graphs.push_back(&graph);
  auto popGraph = llvm::make_scope_exit([&] { state.graphs.pop_back(); });
  const ImporterTable &table = importerTable();
  for (int index = 0; index < graph.node_size(); ++index) {
    const onnx::NodeProto &node = graph.node(index);
    std::string name =
        scope.str() +
        (node.name().empty() ? "#" + std::to_string(index) : node.name());
    Location loc = nodeLocation(state.file, name, node.op_type());
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      return emitError(loc) << "unsupported operator " << node.op_type()
                            << " of domain '" << node.domain()
                            << "' (Sinter imports the default ONNX domain only)";
    auto entry = table.find(node.op_type());
    if (entry == table.end() || state.opset < entry->second.minOpset) {
      InFlightDiagnostic diag = emitError(loc);
      diag << "unsupported operator " << node.op_type() << " (opset "
           << state.opset << ")";
      if (entry != table.end())
        diag << "; Sinter imports it from opset " << entry->second.minOpset;
      return diag;
    }
    NodeContext context(state, node, loc);
    if (failed(entry->second.fn(context)) || state.failed) {
      if (!state.failed)
        emitError(loc) << "could not import this node";
      return failure();
    }
    for (const std::string &output : node.output())
      if (!output.empty() && state.used.contains(output) &&
          !state.values.count(output) && !state.constants.count(output))
        return emitError(loc) << "output '" << output
                              << "' is used but Sinter does not produce it";
  }
  return success();
}

namespace {

OwningOpRef<ModuleOp> ModelImporter::run(const onnx::ModelProto &model) {
  if (failed(readOpset(model)))
    return nullptr;
  const onnx::GraphProto &graph = model.graph();
  if (failed(addInitializers(graph)))
    return nullptr;

  // Graph inputs that are initializers are weights with a default, which a
  // compiled model keeps constant.
  SmallVector<const onnx::ValueInfoProto *> inputs;
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (state.constants.count(input.name()))
      continue;
    inputs.push_back(&input);
    inputNames.insert(input.name());
  }
  // A misspelt --input-shape is the likelier mistake than the error about
  // the dimension it meant to fix, so it is reported first.
  for (const auto &entry : options.inputShapes) {
    if (inputNames.contains(entry.getKey()))
      continue;
    std::string names;
    llvm::raw_string_ostream os(names);
    llvm::interleave(inputs, os,
                     [&](const onnx::ValueInfoProto *in) { os << in->name(); },
                     ", ");
    emitError(state.file) << "--input-shape names '" << entry.getKey()
                          << "', which is not an input of the model (inputs: "
                          << (names.empty() ? "none" : names) << ")";
    return nullptr;
  }
  // Offered values become TensorProtos, converted (and checked) by the
  // same code as initializers if an op asks for one.
  std::vector<onnx::TensorProto> offered(options.inputValues.size());
  for (auto [position, value] : llvm::enumerate(options.inputValues)) {
    std::string name = value.name;
    if (name.empty() && position < inputs.size())
      name = inputs[position]->name();
    if (!inputNames.contains(name) || value.dataType == 0)
      continue;
    onnx::TensorProto &tensor = offered[position];
    tensor.set_name(name);
    tensor.set_data_type(value.dataType);
    for (int64_t dim : value.dims)
      tensor.add_dims(dim);
    tensor.set_raw_data(value.bytes);
    state.offeredInputs[name] = &tensor;
  }

  SmallVector<Type> inputTypes;
  SmallVector<Location> inputLocs;
  for (const onnx::ValueInfoProto *input : inputs) {
    Location loc = valueLocation(state.file, "input", input->name());
    FailureOr<RankedTensorType> type = inputType(*input, loc);
    if (failed(type))
      return nullptr;
    inputTypes.push_back(*type);
    inputLocs.push_back(loc);
  }

  collectUsedNames(graph, state.used);
  for (const onnx::ValueInfoProto &output : graph.output())
    state.used.insert(output.name());

  OpBuilder &builder = state.builder;
  OwningOpRef<ModuleOp> module = ModuleOp::create(state.file);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, state.file, "main",
                                   builder.getFunctionType(inputTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, input] : llvm::enumerate(inputs)) {
    BlockArgument arg = body->getArgument(i);
    arg.setLoc(inputLocs[i]);
    func.setArgAttr(i, "sinter.name", builder.getStringAttr(input->name()));
    // The carrier type alone cannot tell INT4 from INT8: the C API needs it.
    StringRef format = subByteFormat(input->type().tensor_type().elem_type());
    if (!format.empty())
      func.setArgAttr(i, "sinter.format", builder.getStringAttr(format));
    state.values[input->name()] = arg;
  }
  builder.setInsertionPointToEnd(body);

  if (failed(importGraphNodes(state, graph, /*scope=*/"")))
    return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Location loc = valueLocation(state.file, "output", output.name());
    if (output.name().empty()) {
      emitError(loc) << "graph output has no name";
      return nullptr;
    }
    FailureOr<Value> value = state.lookup(output.name(), loc);
    if (failed(value))
      return nullptr;
    // A declared element type that disagrees means the importer and the
    // model's author read the graph differently; say so rather than guess.
    if (output.type().has_tensor_type() &&
        output.type().tensor_type().elem_type() != 0) {
      Type declared = convertElementType(
          state.context, output.type().tensor_type().elem_type());
      Type computed = cast<RankedTensorType>(value->getType()).getElementType();
      if (declared && declared != computed) {
        std::string computedName;
        llvm::raw_string_ostream(computedName) << computed;
        emitError(loc) << "declared as "
                       << dataTypeName(output.type().tensor_type().elem_type())
                       << " but computes " << computedName;
        return nullptr;
      }
    }
    results.push_back(*value);
  }
  if (results.empty()) {
    emitError(state.file) << "the model has no outputs";
    return nullptr;
  }
  func::ReturnOp::create(builder, state.file, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output())) {
    func.setResultAttr(i, "sinter.name",
                       builder.getStringAttr(output.name()));
    StringRef format = subByteFormat(output.type().tensor_type().elem_type());
    if (!format.empty())
      func.setResultAttr(i, "sinter.format", builder.getStringAttr(format));
  }

  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxBytes(MLIRContext &context, StringRef bytes,
                                      StringRef path,
                                      const OnnxImportOptions &options) {
  context.loadDialect<func::FuncDialect, mlir::sinter::SinterDialect>();
  Location file = fileLocation(&context, path);
  ImportState state(&context, file, /*opset=*/0);

  // Keep only the first error: later ones (a verifier's complaint about what
  // the first error left behind) would only repeat it.
  std::optional<std::pair<LocationAttr, std::string>> firstError;
  OwningOpRef<ModuleOp> module;
  {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return diag.getSeverity() == DiagnosticSeverity::Note ? success()
                                                              : failure();
      if (!firstError)
        firstError.emplace(LocationAttr(diag.getLocation()), diag.str());
      state.failed = true;
      return success();
    });

    onnx::ModelProto model;
    if (!llvm::sys::IsLittleEndianHost)
      emitError(file) << "Sinter reads ONNX tensors on little-endian hosts only";
    else if (bytes.size() > static_cast<size_t>(INT_MAX))
      emitError(file) << "the model is larger than 2 GiB, the most a protobuf "
                         "file can hold; save it with external data instead";
    else if (!model.ParseFromArray(bytes.data(),
                                   static_cast<int>(bytes.size())))
      emitError(file) << "not a valid ONNX model (protobuf parse failed)";
    else if (!model.has_graph())
      emitError(file) << "not a valid ONNX model (it has no graph)";
    else
      module = ModelImporter(state, options).run(model);
  }
  if (!firstError && module)
    return module;
  module = nullptr;
  if (!firstError)
    firstError.emplace(LocationAttr(file),
                       "the ONNX importer failed without a diagnostic");
  emitError(Location(firstError->first)) << firstError->second;
  return nullptr;
}

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context, StringRef path,
                                     const OnnxImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(fileLocation(&context, path))
        << "cannot read the model: " << buffer.getError().message();
    return nullptr;
  }
  return importOnnxBytes(context, (*buffer)->getBuffer(), path, options);
}

bool summarizeOnnxFile(StringRef path, OnnxModelSummary &summary,
                       std::string &error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = (path + ": cannot read the model: " + buffer.getError().message()).str();
    return false;
  }
  StringRef bytes = (*buffer)->getBuffer();
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !model.has_graph()) {
    error = (path + ": not a valid ONNX model").str();
    return false;
  }
  for (const onnx::OperatorSetIdProto &entry : model.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      summary.opset = entry.version();

  const ImporterTable &table = importerTable();
  llvm::StringMap<size_t> index;
  for (const onnx::NodeProto &node : model.graph().node()) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    std::string type =
        defaultDomain ? node.op_type() : node.domain() + "." + node.op_type();
    auto [it, inserted] = index.try_emplace(type, summary.opCounts.size());
    if (!inserted) {
      ++summary.opCounts[it->second].second;
      continue;
    }
    summary.opCounts.emplace_back(type, 1);
    auto entry = table.find(node.op_type());
    if (!defaultDomain || entry == table.end() ||
        summary.opset < entry->second.minOpset)
      summary.unsupportedOps.push_back(type);
  }
  return true;
}

std::string describeLocation(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    auto opType = dyn_cast_or_null<StringAttr>(fused.getMetadata());
    ArrayRef<Location> parts = fused.getLocations();
    if (opType && parts.size() == 1)
      if (auto name = dyn_cast<NameLoc>(parts.front()))
        return describeLocation(name.getChildLoc()) + ": node '" +
               name.getName().str() + "' (" + opType.str() + ")";
    // Rewrites fuse the locations of the ops they merge; the first names
    // the place well enough for a one-line message.
    if (!parts.empty())
      return describeLocation(parts.front());
  }
  if (auto name = dyn_cast<NameLoc>(loc))
    if (isa<FileLineColLoc>(name.getChildLoc()))
      return describeLocation(name.getChildLoc()) + ": " +
             name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    if (file.getLine() == 0 && file.getColumn() == 0)
      return file.getFilename().str();
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << loc;
  return text;
}

} // namespace sinter
