// The compilation pipeline as a library: named phases driven by one options struct.
#ifndef SINTER_PIPELINE_PIPELINE_H
#define SINTER_PIPELINE_PIPELINE_H

#include "frontend/onnx/OnnxImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace sinter {

/// The points at which compilation can stop and print, in pipeline order.
enum class Phase {
  Sinter,   // the imported graph, shapes inferred, canonicalized
  Linalg,   // linalg/tensor/arith on tensors, elementwise chains fused
  LLVMMLIR, // bufferized, memory planned, in the LLVM dialect
  LLVMIR,   // LLVM IR with the model descriptor, optimized
  Asm,      // target assembly
  Object,   // object file
};

/// Parses a phase name of `--emit=` (sinter, linalg, llvm-mlir, llvm, asm, obj).
std::optional<Phase> parsePhase(llvm::StringRef name);

struct CompileOptions {
  /// C identifier naming the model: `NAME_model()` in the object and header.
  std::string name = "model";
  /// Target triple; empty means the host.
  std::string triple;
  /// Target CPU; "native" means the host CPU (only when compiling for the host).
  std::string cpu = "native";
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 2;
  /// Fixed shapes for model inputs with symbolic dimensions.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Input values known before compilation (`sinter run`), compiled in where
  /// an op needs a compile-time operand; see OnnxImportOptions::inputValues.
  std::vector<OnnxInputValue> inputValues;
  /// Also export `sinter_loadable_model`, so a shared library built from the
  /// object can be loaded without knowing NAME (used by `sinter run`).
  bool exportLoadableSymbol = false;
};

/// A model input or output as the C API sees it.
struct TensorSignature {
  std::string name;
  int dtype; // sinter_dtype
  std::vector<int64_t> dims;
};

struct ModelSignature {
  std::vector<TensorSignature> inputs;
  std::vector<TensorSignature> outputs;
};

/// Registers every dialect and interface the pipeline uses.
void registerPipelineDialects(mlir::DialectRegistry &registry);

/// Loads a model: `.onnx` through the ONNX frontend, `.mlir` as sinter-dialect
/// text. On failure an error has been emitted and the result is null.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(mlir::MLIRContext &context,
                                            llvm::StringRef path,
                                            const CompileOptions &options);

/// Reads the model function's inputs and outputs; the module must still be in
/// the sinter phase. Fails (with an error) on a type the C API cannot carry.
mlir::FailureOr<ModelSignature> readSignature(mlir::ModuleOp module);

/// Runs the graph passes (constant folding, simplification, BatchNorm
/// folding, canonicalization, CSE) on a loaded module, which is then in the
/// sinter phase.
mlir::LogicalResult runGraphPasses(mlir::ModuleOp module);

/// Lowers a module in the sinter phase (after runGraphPasses) in place to
/// `phase`, one of the MLIR phases: Sinter (nothing to do), Linalg or LLVMMLIR.
mlir::LogicalResult lowerTo(mlir::ModuleOp module, Phase phase,
                            const CompileOptions &options);

/// The symbol of the lowered model function inside the module.
std::string modelFunctionName(const CompileOptions &options);

} // namespace sinter

#endif // SINTER_PIPELINE_PIPELINE_H
