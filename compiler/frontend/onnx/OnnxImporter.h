// The ONNX frontend's public interface: an ONNX model file in, a sinter-dialect module out.
#ifndef SINTER_FRONTEND_ONNX_ONNXIMPORTER_H
#define SINTER_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sinter {

/// The value of a model input known before compilation, as ONNX stores a
/// tensor: a TensorProto.DataType code, dims, and little-endian row-major
/// bytes (bool one byte per element).
struct OnnxInputValue {
  /// The input's name; empty means the input at this value's position among
  /// the model's inputs (initializers excluded).
  std::string name;
  /// The TensorProto.DataType; 0 holds a position without a value.
  int32_t dataType = 0;
  std::vector<int64_t> dims;
  std::string bytes;
};

struct OnnxImportOptions {
  /// Shapes fixed on the command line (--input-shape NAME=1x3x224x224); they
  /// replace the model's declared shape of that input (symbolic dims included).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Values of inputs, offered by `sinter run`, which knows them. The
  /// importer compiles one in only where an op needs a compile-time value
  /// (a Reshape's shape, Reduce axes, Pad's pads, TopK's k) and the model
  /// feeds that operand from a graph input; the input stays in the signature
  /// and the compiled model is valid for this value only.
  std::vector<OnnxInputValue> inputValues;
};

/// Reads and imports an ONNX model file into a new module holding one
/// `func.func @main`. On failure, emits exactly one error diagnostic through
/// the context (whose location carries file / node / op type, see
/// describeLocation) and returns a null OwningOpRef. Never crashes, asserts or
/// aborts on bad input.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(mlir::MLIRContext &context, llvm::StringRef path,
               const OnnxImportOptions &options);

/// Same, from bytes already in memory; `path` names them in messages.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxBytes(mlir::MLIRContext &context, llvm::StringRef bytes,
                llvm::StringRef path, const OnnxImportOptions &options);

/// What an ONNX file holds, read without importing it: the default-domain
/// opset, every node op type with its count (in order of first use), and the
/// op types Sinter cannot import at that opset (other domains included, as
/// "domain.OpType").
struct OnnxModelSummary {
  int64_t opset = 0;
  std::vector<std::pair<std::string, int64_t>> opCounts;
  std::vector<std::string> unsupportedOps;
};

/// Reads `path` for `sinter inspect`. On failure returns false with `error`
/// set to one line naming the file and the problem.
bool summarizeOnnxFile(llvm::StringRef path, OnnxModelSummary &summary,
                       std::string &error);

/// One operator of the default ONNX domain that the importer handles.
struct OnnxOpSupport {
  std::string opType;
  /// The oldest opset Sinter imports it at; every newer one through
  /// kNewestOnnxOpset is handled too.
  int64_t minOpset = 0;
  /// Element types it computes on, e.g. "f32 f16 bf16 f64 i32 i64".
  std::string dtypes;
  /// What is refused, or empty.
  std::string limits;
};

/// The newest opset of the pinned onnx package, the last one checked.
constexpr int64_t kNewestOnnxOpset = 28;

/// Every operator in the importer's table, sorted by name, with the notes of
/// compiler/frontend/onnx/OpSupport.cpp (an op without notes gets empty
/// dtypes, which `sinter ops` reports as an error).
std::vector<OnnxOpSupport> supportedOnnxOps();

/// Renders a location made by the importer as "FILE: node 'NAME' (OPTYPE)"
/// (or "FILE" / "FILE: input 'x'" for non-node locations), for one-line error
/// messages. Other locations are printed as MLIR prints them.
std::string describeLocation(mlir::Location loc);

} // namespace sinter

#endif // SINTER_FRONTEND_ONNX_ONNXIMPORTER_H
