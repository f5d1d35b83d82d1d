// Loads a compiled model for `sinter run`: from a shared library, or by compiling one first.
#include "Tool.h"

#include "emit/Emit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>

namespace sinter {

LoadedModel::~LoadedModel() {
  if (library)
    dlclose(library);
}

using ModelAccessor = const sinter_model *(*)();

llvm::Expected<std::unique_ptr<LoadedModel>>
LoadedModel::load(llvm::StringRef path, const CompileOptions &options) {
  std::string libraryPath = path.str();
  llvm::SmallString<128> temporaryDir;
  bool compiled = llvm::sys::path::extension(path) != ".so";
  if (compiled) {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("sinter-run", temporaryDir))
      return llvm::createStringError("cannot create a temporary directory: " + ec.message());
    llvm::SmallString<128> shared(temporaryDir);
    llvm::sys::path::append(shared, "model.so");
    libraryPath = shared.str().str();
    if (llvm::Error error =
            compileToLibrary(path, options, LibraryKind::Shared, shared)) {
      llvm::sys::fs::remove_directories(temporaryDir);
      return std::move(error);
    }
  }

  std::unique_ptr<LoadedModel> loaded(new LoadedModel());
  loaded->library = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  std::string loadError = loaded->library ? "" : dlerror();
  // The mapping stays valid once loaded; the files are no longer needed.
  if (compiled)
    llvm::sys::fs::remove_directories(temporaryDir);
  if (!loaded->library)
    return llvm::createStringError("cannot load " + path + ": " + loadError);

  auto accessor = reinterpret_cast<ModelAccessor>(
      dlsym(loaded->library, "sinter_loadable_model"));
  if (!accessor) {
    // A library built by hand from `sinter compile` output: try NAME_model.
    std::string stem = llvm::sys::path::stem(path).str();
    if (llvm::StringRef(stem).starts_with("lib"))
      stem = stem.substr(3);
    std::string symbol = makeCIdentifier(stem) + "_model";
    accessor = reinterpret_cast<ModelAccessor>(dlsym(loaded->library, symbol.c_str()));
    if (!accessor)
      return llvm::createStringError(path + ": no compiled Sinter model in this library "
                              "(neither sinter_loadable_model nor " + symbol + ")");
  }
  loaded->handleModel = accessor();
  if (!loaded->handleModel)
    return llvm::createStringError(path + ": the model accessor returned NULL");
  return std::move(loaded);
}

} // namespace sinter
