// One-line error reporting and the small argument parser shared by the subcommands.
#include "Tool.h"

#include "frontend/onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace sinter {

int fail(const llvm::Twine &message) {
  llvm::errs() << "sinter: error: " << message << "\n";
  return 1;
}

DiagnosticCollector::DiagnosticCollector(mlir::MLIRContext &context)
    : context(context) {
  handler = context.getDiagEngine().registerHandler(
      [this](mlir::Diagnostic &diag) {
        if (diag.getSeverity() != mlir::DiagnosticSeverity::Error)
          return mlir::success();
        std::string where = describeLocation(diag.getLocation());
        std::string message = diag.str();
        // Keep each report to one line.
        for (char &c : message)
          if (c == '\n')
            c = ' ';
        errors.push_back(where.empty() ? message : where + ": " + message);
        return mlir::success();
      });
}

DiagnosticCollector::~DiagnosticCollector() {
  context.getDiagEngine().eraseHandler(handler);
}

std::string DiagnosticCollector::firstError(llvm::StringRef fallback) const {
  if (errors.empty())
    return fallback.str();
  return errors.front();
}

Arguments::Arguments(llvm::ArrayRef<const char *> argv) {
  for (const char *word : argv)
    words.emplace_back(word);
}

bool Arguments::takeValue(llvm::StringRef flag, std::string &value,
                          std::string &error) {
  if (empty())
    return false;
  llvm::StringRef word = peek();
  if (word == flag) {
    ++next;
    if (empty()) {
      error = (flag + " needs a value").str();
      return true;
    }
    value = take().str();
    return true;
  }
  if (word.starts_with(flag) && word.drop_front(flag.size()).starts_with("=")) {
    value = word.drop_front(flag.size() + 1).str();
    ++next;
    return true;
  }
  return false;
}

std::optional<llvm::SmallVector<int64_t>> parseShape(llvm::StringRef text) {
  llvm::SmallVector<int64_t> dims;
  if (text.empty())
    return dims; // a scalar
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, text.contains(',') ? ',' : 'x');
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0)
      return std::nullopt;
    dims.push_back(dim);
  }
  return dims;
}

} // namespace sinter
