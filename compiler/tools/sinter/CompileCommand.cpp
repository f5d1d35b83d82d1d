// `sinter compile`: a model to an object file and header, or any intermediate phase.
#include "Tool.h"

#include "emit/Emit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace sinter {

int compileCommand(Arguments &args) {
  CompileOptions options;
  std::string model, output, name, emit = "obj", error;
  while (!args.empty()) {
    std::string value;
    if (takeCompileOption(args, options, error)) {
    } else if (args.takeValue("-o", value, error)) {
      output = value;
    } else if (args.takeValue("--name", value, error)) {
      name = value;
    } else if (args.takeValue("--emit", value, error)) {
      emit = value;
    } else if (args.peek().starts_with("-")) {
      return fail("compile: unknown option '" + args.peek() + "'");
    } else if (model.empty()) {
      model = args.take().str();
    } else {
      return fail("compile: more than one model given ('" + model + "', '" +
                  args.peek() + "')");
    }
    if (!error.empty())
      return fail("compile: " + error);
  }
  if (model.empty())
    return fail("compile: no model given (sinter compile MODEL [-o OUT.o])");
  if (!llvm::sys::fs::exists(model))
    return fail(model + ": no such file");

  llvm::StringRef stem = llvm::sys::path::stem(model);
  options.name = makeCIdentifier(name.empty() ? stem : llvm::StringRef(name));
  if (!name.empty() && options.name != name)
    return fail("compile: --name '" + name + "' is not a C identifier");

  if (emit == "ptx")
    return fail("compile: --emit=ptx: CUDA code generation is not available "
                "in this build yet");
  bool library = emit == "lib" || emit == "so";
  std::optional<Phase> phase =
      library ? std::optional<Phase>(Phase::Object) : parsePhase(emit);
  if (!phase)
    return fail("compile: unknown --emit=" + emit +
                " (sinter, linalg, llvm-mlir, llvm, asm, obj, lib, so)");

  // Text phases go to stdout unless -o names a file.
  if (*phase != Phase::Object) {
    std::error_code ec;
    llvm::ToolOutputFile out(output.empty() ? "-" : output, ec,
                             llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write " + output + ": " + ec.message());
    if (llvm::Error err = compileModel(model, options, *phase, out.os(), nullptr))
      return fail(llvm::toString(std::move(err)));
    out.keep();
    return 0;
  }

  llvm::StringRef extension = emit == "so" ? ".so" : emit == "lib" ? ".a" : ".o";
  if (output.empty())
    output = (stem + extension).str();
  ModelSignature signature;
  llvm::Error compiled =
      library ? compileToLibrary(model, options,
                                 emit == "so" ? LibraryKind::Shared
                                              : LibraryKind::Static,
                                 output, &signature)
              : compileToObject(model, options, output, &signature);
  if (compiled)
    return fail(llvm::toString(std::move(compiled)));

  llvm::SmallString<128> header(output);
  llvm::sys::path::replace_extension(header, ".h");
  std::error_code ec;
  llvm::raw_fd_ostream headerOut(header, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write " + header + ": " + ec.message());
  headerOut << renderHeader(signature, options);
  return 0;
}

} // namespace sinter
