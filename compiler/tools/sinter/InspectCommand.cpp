// `sinter inspect`: a model's inputs, outputs, op counts, parameters and workspace.
#include "Tool.h"

#include "frontend/onnx/OnnxImporter.h"
#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include "sinter/sinter.h"

#include <map>

namespace sinter {

static void printTensors(llvm::raw_ostream &os, llvm::StringRef title,
                         const std::vector<TensorSignature> &tensors) {
  os << title << ":\n";
  for (const TensorSignature &t : tensors) {
    os << "  " << t.name << ": "
       << sinter_dtype_name(static_cast<sinter_dtype>(t.dtype)) << " [";
    llvm::interleave(t.dims, os, ", ");
    os << "]\n";
  }
}

/// `bytes` in the largest binary unit that keeps it at or above one.
static std::string humanBytes(int64_t bytes) {
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  double value = bytes / 1024.0;
  const char *unit = "KiB";
  if (value >= 1024) {
    value /= 1024;
    unit = "MiB";
  }
  return llvm::formatv("{0:F2} {1}", value, unit).str();
}

/// The plan's workspace between its bounds: every intermediate apart (the
/// sum) and the most bytes live at one time (what no plan can beat).
static void printWorkspace(llvm::raw_ostream &os, mlir::ModuleOp module) {
  auto attr = [&](llvm::StringRef name) -> std::optional<int64_t> {
    if (auto value = module->getAttrOfType<mlir::IntegerAttr>(name))
      return value.getInt();
    return std::nullopt;
  };
  std::optional<int64_t> size = attr("sinter.workspace_size");
  if (!size)
    return;
  os << "workspace: " << *size << " bytes";
  std::optional<int64_t> sum = attr("sinter.intermediate_bytes");
  std::optional<int64_t> peak = attr("sinter.peak_live_bytes");
  if (sum && peak) {
    os << " = " << humanBytes(*size) << " (sum of intermediates "
       << humanBytes(*sum) << ", peak live " << humanBytes(*peak);
    if (*peak > 0)
      os << llvm::formatv(", {0:F2}x peak", double(*size) / *peak);
    os << ")";
  }
  os << "\n";
}

int inspectCommand(Arguments &args) {
  CompileOptions options;
  std::string model, error;
  while (!args.empty()) {
    if (takeCompileOption(args, options, error)) {
    } else if (args.peek().starts_with("-")) {
      return fail("inspect: unknown option '" + args.peek() + "'");
    } else if (model.empty()) {
      model = args.take().str();
    } else {
      return fail("inspect: more than one model given");
    }
    if (!error.empty())
      return fail("inspect: " + error);
  }
  if (model.empty())
    return fail("inspect: no model given");
  if (!llvm::sys::fs::exists(model))
    return fail(model + ": no such file");

  // What the file holds is worth showing even when Sinter cannot compile it.
  llvm::raw_ostream &os = llvm::outs();
  if (llvm::sys::path::extension(model) == ".onnx") {
    OnnxModelSummary summary;
    if (!summarizeOnnxFile(model, summary, error))
      return fail(error);
    os << "model: " << model << " (ONNX opset " << summary.opset << ")\n";
    os << "onnx nodes:\n";
    for (const auto &[type, count] : summary.opCounts)
      os << "  " << type << ": " << count << "\n";
    os << "unsupported ops: "
       << (summary.unsupportedOps.empty()
               ? std::string("none")
               : llvm::join(summary.unsupportedOps, ", "))
       << "\n";
    if (!summary.unsupportedOps.empty())
      return fail(model + ": cannot compile: unsupported operators " +
                  llvm::join(summary.unsupportedOps, ", "));
  } else {
    os << "model: " << model << "\n";
  }

  mlir::DialectRegistry registry;
  registerPipelineDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  DiagnosticCollector diagnostics(context);
  mlir::OwningOpRef<mlir::ModuleOp> module = loadModel(context, model, options);
  if (!module || mlir::failed(runGraphPasses(*module)))
    return fail(diagnostics.firstError(model + ": cannot load model"));
  auto signature = readSignature(*module);
  if (mlir::failed(signature))
    return fail(diagnostics.firstError(model + ": cannot describe the model"));

  printTensors(os, "inputs", signature->inputs);
  printTensors(os, "outputs", signature->outputs);

  std::map<std::string, int64_t> opCounts;
  int64_t parameters = 0, parameterBytes = 0, ops = 0;
  module->walk([&](mlir::Operation *op) {
    if (op->getDialect() == nullptr ||
        op->getDialect()->getNamespace() != "sinter")
      return;
    if (auto constant = llvm::dyn_cast<mlir::sinter::ConstantOp>(op)) {
      auto type = llvm::cast<mlir::ShapedType>(constant.getType());
      parameters += type.getNumElements();
      parameterBytes += type.getNumElements() *
                        ((type.getElementTypeBitWidth() + 7) / 8);
      return;
    }
    ++ops;
    ++opCounts[op->getName().stripDialect().str()];
  });
  os << "sinter ops: " << ops << "\n";
  for (const auto &[name, count] : opCounts)
    os << "  " << name << ": " << count << "\n";
  os << "parameters: " << parameters << " ("
     << llvm::format("%.2f", parameterBytes / 1048576.0) << " MiB)\n";

  // The workspace is known once buffers are planned.
  if (mlir::failed(lowerTo(*module, Phase::LLVMMLIR, options)))
    return fail(diagnostics.firstError(model + ": lowering failed"));
  printWorkspace(os, *module);
  return 0;
}

} // namespace sinter
