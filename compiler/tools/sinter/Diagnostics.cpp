// One-line error reporting and the small argument parser shared by the subcommands.
#include "Tool.h"

#include "frontend/onnx/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace sinter {

int fail(const llvm::Twine &message) {
  llvm::errs() << "sinter: error: " << message << "\n";
  return 1;
}

/// Keeps a report on one line and free of control characters, which a
/// corrupt model can smuggle in through node names and op types.
static std::string printableLine(llvm::StringRef text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n' || c == '\t')
      out.push_back(' ');
    else if (c < 0x20 || c == 0x7f)
      out += llvm::formatv("\\x{0:x-2}", static_cast<unsigned>(c)).str();
    else
      out.push_back(static_cast<char>(c));
  }
  return out;
}

DiagnosticCollector::DiagnosticCollector(mlir::MLIRContext &context)
    : context(context) {
  handler = context.getDiagEngine().registerHandler(
      [this](mlir::Diagnostic &diag) {
        if (diag.getSeverity() != mlir::DiagnosticSeverity::Error)
          return mlir::success();
        std::string where = describeLocation(diag.getLocation());
        std::string line = where.empty() ? diag.str() : where + ": " + diag.str();
        errors.push_back(printableLine(line));
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

/// Applies one compile option; returns false if `args` does not start with one.
bool takeCompileOption(Arguments &args, CompileOptions &options,
                              std::string &error) {
  std::string value;
  if (args.takeValue("--target", value, error)) {
    options.triple = value;
    return true;
  }
  if (args.takeValue("--cpu", value, error)) {
    options.cpu = value;
    return true;
  }
  if (args.takeValue("--input-shape", value, error)) {
    if (!error.empty())
      return true;
    auto [name, shape] = llvm::StringRef(value).rsplit('=');
    auto dims = parseShape(shape);
    if (name.empty() || !llvm::StringRef(value).contains('=') || !dims)
      error = "--input-shape expects NAME=D0xD1x..., got '" + value + "'";
    else
      options.inputShapes[name] = *dims;
    return true;
  }
  llvm::StringRef word = args.empty() ? "" : args.peek();
  if (word.size() == 3 && word.starts_with("-O") && word[2] >= '0' &&
      word[2] <= '3') {
    options.optLevel = word[2] - '0';
    args.take();
    return true;
  }
  return false;
}

} // namespace sinter
