// Internal interface between the ONNX importer's driver and its per-family op importers.
#ifndef SINTER_FRONTEND_ONNX_IMPORTER_H
#define SINTER_FRONTEND_ONNX_IMPORTER_H

#include "sinter/Dialect/SinterOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace sinter::onnx_import {

/// Constants up to this many elements are folded by the importer itself, so
/// that shape computations (Shape -> Gather -> Concat -> Reshape) resolve.
/// Larger ones (weights) are left to the graph passes.
constexpr int64_t kMaxFoldElements = 4096;

/// The most elements any tensor may have: far beyond a real model, far below
/// where products of dimensions overflow.
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;

/// The largest kernel size, stride, dilation, pad or block size accepted, so
/// that window arithmetic stays far from overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 24;

//===----------------------------------------------------------------------===//
// Locations (see describeLocation in OnnxImporter.h)
//===----------------------------------------------------------------------===//

/// The location of the model file itself.
mlir::Location fileLocation(mlir::MLIRContext *context, llvm::StringRef path);
/// A graph-level value: `kind` is "input", "output" or "initializer".
mlir::Location valueLocation(mlir::Location file, llvm::StringRef kind,
                             llvm::StringRef name);
/// A node: its name wrapping the file, with the op type as fused metadata.
mlir::Location nodeLocation(mlir::Location file, llvm::StringRef name,
                            llvm::StringRef opType);

//===----------------------------------------------------------------------===//
// Tensors and element types (ImportTensor.cpp)
//===----------------------------------------------------------------------===//

/// The MLIR element type of an ONNX TensorProto.DataType; null if Sinter does
/// not carry it.
mlir::Type convertElementType(mlir::MLIRContext *context, int32_t dataType);
/// "int4", "uint4", "int2", "uint2" or "float4e2m1" for ONNX's sub-byte
/// types, which travel in i8 and ui8 carriers; empty for the others.
llvm::StringRef subByteFormat(int32_t dataType);
/// The ONNX name of a data type, for messages ("FLOAT", "STRING", ...).
std::string dataTypeName(int32_t dataType);
/// Converts an initializer or attribute tensor, checking its sizes; emits an
/// error at `loc` when the tensor is malformed or unsupported, prefixed with
/// `what` unless empty (an initializer's location names it already).
mlir::FailureOr<mlir::DenseElementsAttr>
convertTensor(const onnx::TensorProto &tensor, mlir::Location loc,
              llvm::StringRef what);

//===----------------------------------------------------------------------===//
// Small constant folding (ConstantFold.cpp)
//===----------------------------------------------------------------------===//

/// True when `attr` is small enough for the importer to fold.
bool isFoldable(mlir::DenseElementsAttr attr);
/// The elements of an integer constant as int64 (bools and unsigned zero-extended).
llvm::SmallVector<int64_t> toInt64s(mlir::DenseElementsAttr attr);
/// The product of `shape`'s dims: the element count, 1 for a scalar.
int64_t product(llvm::ArrayRef<int64_t> shape);
/// An integer constant of `shape` and element type `elementType`.
mlir::DenseElementsAttr makeIntAttr(llvm::ArrayRef<int64_t> values,
                                    llvm::ArrayRef<int64_t> shape,
                                    mlir::Type elementType);
/// Converts every element to `to` with ONNX Cast semantics.
mlir::DenseElementsAttr foldCast(mlir::DenseElementsAttr attr, mlir::Type to);
/// Combines integer constants element by element with numpy broadcasting.
/// Returns a null attribute when the shapes do not broadcast or the result
/// is too large to fold, and failure when `fn` returns nullopt (x / 0).
mlir::FailureOr<mlir::DenseElementsAttr> foldIntElementwise(
    llvm::ArrayRef<mlir::DenseElementsAttr> inputs, mlir::Type resultElement,
    llvm::function_ref<std::optional<int64_t>(llvm::ArrayRef<int64_t>)> fn);
/// The same on elements of any type: `fn` returns each result element, or
/// null to give up. Null when the shapes do not broadcast or are too large.
mlir::DenseElementsAttr foldElementwise(
    llvm::ArrayRef<mlir::DenseElementsAttr> inputs, mlir::Type resultElement,
    llvm::function_ref<mlir::Attribute(llvm::ArrayRef<mlir::Attribute>)> fn);
/// An element as a number: integers exactly (bools and unsigned
/// zero-extended), floats as doubles.
struct ElementNumber {
  bool isFloat;
  double f;
  int64_t i;
};
ElementNumber numberOf(mlir::Attribute element);
/// One element of `element` type holding `value` (truncated toward zero and
/// wrapped for integers, nonzero for i1).
mlir::Attribute scalarAttr(mlir::Type element, double value);
/// numpy-style take along `axis` with already normalized in-range indices.
mlir::DenseElementsAttr foldGather(mlir::DenseElementsAttr data,
                                   llvm::ArrayRef<int64_t> indices,
                                   llvm::ArrayRef<int64_t> indicesShape,
                                   int64_t axis);
mlir::DenseElementsAttr foldConcat(llvm::ArrayRef<mlir::DenseElementsAttr> parts,
                                   int64_t axis);
mlir::DenseElementsAttr foldSlice(mlir::DenseElementsAttr attr,
                                  llvm::ArrayRef<int64_t> starts,
                                  llvm::ArrayRef<int64_t> sizes,
                                  llvm::ArrayRef<int64_t> steps);
mlir::DenseElementsAttr foldTranspose(mlir::DenseElementsAttr attr,
                                      llvm::ArrayRef<int64_t> perm);

//===----------------------------------------------------------------------===//
// Import state and the per-node interface the op importers use
//===----------------------------------------------------------------------===//

/// A value known at compile time, kept apart from SSA values so that shape
/// inputs never need a `sinter.constant` op unless something reads them.
struct KnownConstant {
  mlir::DenseElementsAttr value;
  mlir::LocationAttr loc;
};

/// Graph-wide state of one import.
struct ImportState {
  ImportState(mlir::MLIRContext *context, mlir::Location file, int64_t opset)
      : context(context), builder(context), file(file), opset(opset) {}

  mlir::MLIRContext *context;
  mlir::OpBuilder builder;
  mlir::Location file;
  /// The model's version of the default (ai.onnx) operator set.
  int64_t opset;
  llvm::StringMap<mlir::Value> values;
  llvm::StringMap<KnownConstant> constants;
  /// Values offered for graph inputs (OnnxImportOptions::inputValues), by
  /// input name; used only where an op requires a compile-time operand.
  llvm::StringMap<const onnx::TensorProto *> offeredInputs;
  /// Names read by some node or listed as a graph output.
  llvm::StringSet<> used;
  /// Set by the import's diagnostic handler on the first error.
  bool failed = false;
  /// The graphs whose nodes are being imported, outermost first: the model's
  /// graph, then each subgraph a control-flow node is importing inline.
  llvm::SmallVector<const onnx::GraphProto *, 4> graphs;

  /// The SSA value of `name`, materializing a known constant on first use;
  /// emits an error at `useLoc` when nothing defines the name.
  mlir::FailureOr<mlir::Value> lookup(llvm::StringRef name,
                                      mlir::Location useLoc);
};

class NodeContext {
public:
  NodeContext(ImportState &state, const onnx::NodeProto &node,
              mlir::Location loc)
      : state(state), node(node), location(loc) {}

  mlir::MLIRContext *context() const { return state.context; }
  mlir::OpBuilder &builder() { return state.builder; }
  mlir::Location loc() const { return location; }
  int64_t opset() const { return state.opset; }
  llvm::StringRef opType() const { return node.op_type(); }
  mlir::InFlightDiagnostic emitError() { return mlir::emitError(location); }
  /// The node itself and the import's state, for importers that import
  /// subgraphs (ImportControlFlow.cpp).
  const onnx::NodeProto &proto() const { return node; }
  ImportState &importState() { return state; }

  // Inputs. An input listed with an empty name is absent (ONNX's optional
  // inputs).
  unsigned numInputs() const { return node.input_size(); }
  bool hasInput(unsigned i) const;
  /// A required input; an error when absent or undefined.
  mlir::FailureOr<mlir::Value> input(unsigned i);
  /// An optional input: a null Value when absent.
  mlir::FailureOr<mlir::Value> optionalInput(unsigned i);
  /// The type of input `i`, without materializing a constant.
  mlir::FailureOr<mlir::RankedTensorType> inputType(unsigned i);
  /// The compile-time value of input `i`, or null.
  mlir::DenseElementsAttr constantInput(unsigned i);
  /// The value offered for graph input `value` named `name` (see
  /// OnnxImportOptions::inputValues), or null when none was offered.
  mlir::FailureOr<mlir::DenseElementsAttr> offeredInput(mlir::Value value,
                                                        llvm::StringRef name);
  /// Input `i` must be known at compile time (`what` names it in errors); a
  /// graph input qualifies when its value was offered.
  mlir::FailureOr<mlir::DenseElementsAttr> requiredConstant(unsigned i,
                                                            llvm::StringRef what);
  /// Input `i` must be a compile-time integer tensor (`what` names it in
  /// errors: "shape", "axes", ...).
  mlir::FailureOr<llvm::SmallVector<int64_t>> constantInts(unsigned i,
                                                           llvm::StringRef what);

  // Outputs.
  unsigned numOutputs() const { return node.output_size(); }
  bool outputUsed(unsigned i) const;
  void setOutput(unsigned i, mlir::Value value);
  /// Sets output `i` to what a builder returned; fails when the builder did,
  /// so an importer can end with `return node.setOutput(0, result);`.
  mlir::LogicalResult setOutput(unsigned i, mlir::FailureOr<mlir::Value> value);
  void setConstantOutput(unsigned i, mlir::DenseElementsAttr value);
  /// Fails when an output from `first` on is read by anything; `what`
  /// explains why Sinter cannot produce it.
  mlir::LogicalResult refuseOutputsFrom(unsigned first, llvm::StringRef what);

  // Attributes. Getters with a default report a wrong attribute type as an
  // error and return the default, so callers check `hadError()` before using.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t intAttr(llvm::StringRef name, int64_t defaultValue);
  float floatAttr(llvm::StringRef name, float defaultValue);
  std::string stringAttr(llvm::StringRef name, llvm::StringRef defaultValue);
  llvm::SmallVector<int64_t> intsAttr(llvm::StringRef name);
  mlir::FailureOr<int64_t> requiredIntAttr(llvm::StringRef name);
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  requiredIntsAttr(llvm::StringRef name);
  bool hadError() const { return state.failed; }

  // Building ops at the node's location.
  /// Creates an op whose result type the dialect infers; any inference or
  /// verifier error is reported at the node.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    OpTy op = OpTy::create(builder(), location, placeholderType(),
                           std::forward<Args>(args)...);
    mlir::Operation *raw = op.getOperation();
    llvm::SmallVector<mlir::Type, 1> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            context(), raw->getLoc(), raw->getOperands(),
            raw->getRawDictionaryAttrs(), raw->getPropertiesStorage(),
            raw->getRegions(), types)) ||
        types.size() != 1) {
      raw->erase();
      return mlir::failure();
    }
    raw->getResult(0).setType(types.front());
    return finish(raw);
  }
  /// Creates an op with an explicit result type, then verifies it.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createTyped(mlir::Type type, Args &&...args) {
    OpTy op = OpTy::create(builder(), location, type,
                           std::forward<Args>(args)...);
    return finish(op.getOperation());
  }
  /// A unary op whose result has its operand's type.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value> createUnary(mlir::Value input) {
    return createTyped<OpTy>(input.getType(), input);
  }
  /// `sinter.constant` of `value` at the node.
  mlir::Value constant(mlir::DenseElementsAttr value);
  /// A rank-0 constant of `elementType` (float or integer).
  mlir::Value scalar(mlir::Type elementType, double value);
  /// `sinter.reshape` of `input` to `shape`, or `input` when already there.
  mlir::FailureOr<mlir::Value> reshape(mlir::Value input,
                                       llvm::ArrayRef<int64_t> shape);
  /// `sinter.cast` of `input` to `elementType`, or `input` when already there.
  mlir::FailureOr<mlir::Value> convert(mlir::Value input,
                                       mlir::Type elementType);

private:
  mlir::Type placeholderType();
  mlir::FailureOr<mlir::Value> finish(mlir::Operation *op);

  ImportState &state;
  const onnx::NodeProto &node;
  mlir::Location location;
};

/// Imports one node; on failure an error has been emitted.
using ImportFn = mlir::LogicalResult (*)(NodeContext &);

struct OpImporter {
  ImportFn fn;
  /// The oldest opset whose semantics `fn` implements.
  int64_t minOpset;
};

using ImporterTable = llvm::StringMap<OpImporter>;

void registerElementwiseImporters(ImporterTable &table);
void registerMathImporters(ImporterTable &table);
void registerLinearImporters(ImporterTable &table);
void registerConvTransposeImporters(ImporterTable &table);
void registerEinsumImporters(ImporterTable &table);
void registerQuantImporters(ImporterTable &table);
void registerPoolImporters(ImporterTable &table);
void registerNormImporters(ImporterTable &table);
void registerReduceImporters(ImporterTable &table);
void registerShapeImporters(ImporterTable &table);
void registerIndexingImporters(ImporterTable &table);
void registerGatherScatterImporters(ImporterTable &table);
void registerSelectionImporters(ImporterTable &table);
void registerResizeImporters(ImporterTable &table);
void registerVisionImporters(ImporterTable &table);
void registerSignalImporters(ImporterTable &table);
void registerConstantImporters(ImporterTable &table);
void registerBitCastImporters(ImporterTable &table);
void registerSwiGLUImporters(ImporterTable &table);
void registerCompileTimeImporters(ImporterTable &table);
void registerLogicImporters(ImporterTable &table);
void registerAttentionImporters(ImporterTable &table);
void registerLossImporters(ImporterTable &table);
void registerRecurrentImporters(ImporterTable &table);
void registerControlFlowImporters(ImporterTable &table);

/// Imports `graph`'s nodes in order at the builder's insertion point; node
/// locations name each node as `scope` + its name ("loop/body[2]/add").
mlir::LogicalResult importGraphNodes(ImportState &state,
                                     const onnx::GraphProto &graph,
                                     llvm::StringRef scope);
/// Adds to `used` every name `graph`'s nodes read and its outputs list,
/// inside their subgraphs too, which read enclosing graphs' values by name.
void collectUsedNames(const onnx::GraphProto &graph, llvm::StringSet<> &used);
/// The value of `name` computed from compile-time constants and the values
/// offered for graph inputs (OnnxImportOptions::inputValues): the nodes that
/// compute it are imported again in a scratch block with those inputs as
/// constants. Null when it depends on anything else or nothing was offered.
mlir::FailureOr<mlir::DenseElementsAttr>
evaluateWithOfferedInputs(NodeContext &node, llvm::StringRef name);

/// Fails with an error when a node's kernel_shape attribute is given and
/// differs from the weight's spatial shape `kernel`.
mlir::LogicalResult checkKernelShape(NodeContext &node,
                                     llvm::ArrayRef<int64_t> kernelAttr,
                                     llvm::ArrayRef<int64_t> kernel);

/// Pads for a convolution or pooling window: explicit `pads` (begins then
/// ends) or those auto_pad implies, checked and defaulted to zeros.
mlir::FailureOr<llvm::SmallVector<int64_t>>
resolvePads(NodeContext &node, llvm::ArrayRef<int64_t> spatialShape,
            llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
            llvm::ArrayRef<int64_t> dilations);

/// `axis` normalized against `rank`, with an error at the node if out of range.
mlir::FailureOr<int64_t> normalizeAxisAt(NodeContext &node, int64_t axis,
                                         int64_t rank, llvm::StringRef what);

/// The pieces of a log-sum-exp over `axes` that cannot overflow: max(x), with
/// the reduced axes kept as 1s, x - max, and log(sum(exp(x - max))).
struct ShiftedLogSumExp {
  mlir::Value max, shifted, logSum;
};
mlir::FailureOr<ShiftedLogSumExp> shiftedLogSumExp(NodeContext &node,
                                                   mlir::Value x,
                                                   llvm::ArrayRef<int64_t> axes);

} // namespace sinter::onnx_import

#endif // SINTER_FRONTEND_ONNX_IMPORTER_H
