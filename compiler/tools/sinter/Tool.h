// Shared pieces of the `sinter` command: argument handling, diagnostics, compiling and loading models.
#ifndef SINTER_TOOLS_SINTER_TOOL_H
#define SINTER_TOOLS_SINTER_TOOL_H

#include "pipeline/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sinter_model;

namespace sinter {

/// Prints `sinter: error: MESSAGE` on stderr and returns the exit status 1.
int fail(const llvm::Twine &message);

/// Collects the errors emitted while a context is in use, so that a failure is
/// reported as one line naming the file, node and op.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &context);
  ~DiagnosticCollector();
  /// The first error, as one line; `fallback` if none was emitted.
  std::string firstError(llvm::StringRef fallback) const;

private:
  mlir::MLIRContext &context;
  uint64_t handler;
  std::vector<std::string> errors;
};

/// Command-line words after the subcommand, consumed front to back.
class Arguments {
public:
  explicit Arguments(llvm::ArrayRef<const char *> words);
  bool empty() const { return next >= words.size(); }
  llvm::StringRef peek() const { return words[next]; }
  llvm::StringRef take() { return words[next++]; }
  /// Matches `--flag VALUE`, `--flag=VALUE` or `-fVALUE`-less forms of `flag`.
  bool takeValue(llvm::StringRef flag, std::string &value, std::string &error);

private:
  std::vector<std::string> words;
  size_t next = 0;
};

/// Applies one option that shapes compilation (--target, --cpu,
/// --input-shape, -O0..-O3) when `args` starts with one; returns false
/// otherwise. A malformed value sets `error`.
bool takeCompileOption(Arguments &args, CompileOptions &options,
                       std::string &error);

/// Parses "1x3x224x224" (also "1,3,224,224").
std::optional<llvm::SmallVector<int64_t>> parseShape(llvm::StringRef text);

/// Runs the pipeline up to `phase` and writes what that phase produces to
/// `out`: text for the MLIR, LLVM IR and assembly phases, bytes for objects.
llvm::Error compileModel(llvm::StringRef modelPath,
                         const CompileOptions &options, Phase phase,
                         llvm::raw_pwrite_stream &out,
                         ModelSignature *signatureOut);

/// Compiles `modelPath` to an object file at `objectPath`.
llvm::Error compileToObject(llvm::StringRef modelPath,
                            const CompileOptions &options,
                            llvm::StringRef objectPath,
                            ModelSignature *signature = nullptr);

enum class LibraryKind { Static, Shared };

/// Compiles `modelPath` into a static archive or a shared library at
/// `libraryPath`, through a temporary object file. A shared library also
/// exports `sinter_loadable_model`.
llvm::Error compileToLibrary(llvm::StringRef modelPath, CompileOptions options,
                             LibraryKind kind, llvm::StringRef libraryPath,
                             ModelSignature *signature = nullptr);

/// A compiled model loaded from a shared library, kept loaded while alive.
class LoadedModel {
public:
  /// Loads `path`: a shared library made by `sinter compile --emit=so`, or a
  /// model file (.onnx, .mlir) compiled to a temporary shared library first.
  static llvm::Expected<std::unique_ptr<LoadedModel>>
  load(llvm::StringRef path, const CompileOptions &options);
  ~LoadedModel();
  const sinter_model *model() const { return handleModel; }

private:
  LoadedModel() = default;
  void *library = nullptr;
  const sinter_model *handleModel = nullptr;
};

int compileCommand(Arguments &args);
int runCommand(Arguments &args, bool benchmark);
int inspectCommand(Arguments &args);
int opsCommand(Arguments &args);

} // namespace sinter

#endif // SINTER_TOOLS_SINTER_TOOL_H
