// Importing ONNX subgraphs inline, shared by the If, Loop and Scan importers.
#ifndef SINTER_FRONTEND_ONNX_SUBGRAPH_H
#define SINTER_FRONTEND_ONNX_SUBGRAPH_H

#include "frontend/onnx/Importer.h"

namespace sinter::onnx_import::controlflow {

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
  mlir::Value value;
  mlir::DenseElementsAttr constant;

  mlir::RankedTensorType type() const {
    return mlir::cast<mlir::RankedTensorType>(constant ? constant.getType()
                                           : value.getType());
  }
};

inline Bound constantBound(mlir::DenseElementsAttr value) {
  return Bound{mlir::Value(), value};
}

mlir::Value materialize(NodeContext &node, const Bound &bound);

mlir::FailureOr<Bound> boundInput(NodeContext &node, unsigned i);

void bindOutput(NodeContext &node, unsigned i, const Bound &bound);

/// The node's name as its location shows it ("#3" when it has none), the
/// prefix of its subgraph's node names.
std::string displayName(NodeContext &node);

mlir::FailureOr<const onnx::GraphProto *> graphAttr(NodeContext &node,
                                              llvm::StringRef name);

/// Input `i` (`what`) as a compile-time value, or an error saying why it
/// must be one.
mlir::FailureOr<mlir::DenseElementsAttr> compileTimeInput(NodeContext &node, unsigned i,
                                              llvm::StringRef what);

mlir::FailureOr<bool> truthOf(NodeContext &node, mlir::DenseElementsAttr value,
                        llvm::StringRef what);

/// A one-element shape as `declared` gives it (`[1]` for some exporters'
/// iteration numbers), else a scalar's.
llvm::SmallVector<int64_t> oneElementShape(const onnx::ValueInfoProto &declared);

/// Checks a value entering or leaving a subgraph against the element type
/// the subgraph declares for it; sequences, optionals and maps are refused.
mlir::LogicalResult checkDeclared(NodeContext &node, const onnx::ValueInfoProto &info,
                            mlir::Type actual, llvm::StringRef what);

/// Imports `graph` (`label` in errors) inline, its inputs bound to `inputs`
/// and its nodes named `scope` + name, and returns its outputs. The names it
/// defines are visible only while it is imported, so that a loop body can be
/// imported once per iteration. The first `evaluated` outputs, when not
/// constants, are computed from offered input values if they can be (a
/// loop's condition).
mlir::FailureOr<llvm::SmallVector<Bound>>
importSubgraph(NodeContext &node, const onnx::GraphProto &graph,
               llvm::StringRef label, llvm::ArrayRef<Bound> inputs, llvm::StringRef scope,
               unsigned evaluated = 0);

/// Joins one value per iteration along a new axis `axis` (counted in the
/// result's rank). `declared` gives the element shape when there are none.
mlir::FailureOr<Bound> stack(NodeContext &node, llvm::ArrayRef<Bound> items, int64_t axis,
                       const onnx::ValueInfoProto &declared, llvm::StringRef what);

/// Element `index` of `input` along `axis`, that axis dropped.
mlir::FailureOr<Bound> sliceAt(NodeContext &node, const Bound &input, int64_t axis,
                         int64_t index);

mlir::LogicalResult checkUnrollSize(NodeContext &node, int64_t iterations,
                              const onnx::GraphProto &body);

/// The Scan importer (ImportScan.cpp).
mlir::LogicalResult importScan(NodeContext &node);

} // namespace sinter::onnx_import::controlflow

#endif // SINTER_FRONTEND_ONNX_SUBGRAPH_H
