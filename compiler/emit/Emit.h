// Emitters: LLVM IR with the model descriptor, machine code, the C header, archives and shared libraries.
#ifndef SINTER_EMIT_EMIT_H
#define SINTER_EMIT_EMIT_H

#include "pipeline/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace sinter {

/// The target machine for `options` (triple, CPU, optimization level).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const CompileOptions &options);

/// Translates a module lowered to the LLVM dialect into LLVM IR, wraps the model
/// function in the descriptor the runtime reads (model_abi.h) and the exported
/// `NAME_model()` accessor, and optimizes it for `machine`.
llvm::Expected<std::unique_ptr<llvm::Module>>
buildModelModule(mlir::ModuleOp module, const ModelSignature &signature,
                 const CompileOptions &options, llvm::TargetMachine &machine,
                 llvm::LLVMContext &context);

/// Writes `module` as assembly text or as an object file.
llvm::Error writeMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                             bool assembly, llvm::raw_pwrite_stream &out);

/// The C header declaring `NAME_model()`, with the model's inputs and outputs
/// documented.
std::string renderHeader(const ModelSignature &signature,
                         const CompileOptions &options);

/// Links one object file into a shared library with ld.lld.
llvm::Error linkSharedLibrary(llvm::StringRef object, llvm::StringRef output);

/// Writes a static archive holding one object file.
llvm::Error writeStaticArchive(llvm::StringRef object, llvm::StringRef output);

/// Turns a file stem into a C identifier ("resnet-50" → "resnet_50").
std::string makeCIdentifier(llvm::StringRef text);

} // namespace sinter

#endif // SINTER_EMIT_EMIT_H
