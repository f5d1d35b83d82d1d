// Drives the pipeline from a model file to any phase: text dumps, object, archive or shared library.
#include "Tool.h"

#include "emit/Emit.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace sinter {

llvm::Error compileModel(llvm::StringRef modelPath,
                         const CompileOptions &options, Phase phase,
                         llvm::raw_pwrite_stream &out,
                         ModelSignature *signatureOut) {
  mlir::DialectRegistry registry;
  registerPipelineDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  DiagnosticCollector diagnostics(context);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(context, modelPath, options);
  if (!module)
    return llvm::createStringError(diagnostics.firstError((modelPath + ": cannot load model").str()));
  auto fail = [&](llvm::StringRef what) {
    return llvm::createStringError(diagnostics.firstError((modelPath + ": " + what).str()));
  };

  if (mlir::failed(runGraphPasses(*module)))
    return fail("graph passes failed");
  // The signature is read once shapes are inferred and before lowering.
  mlir::FailureOr<ModelSignature> signature = mlir::failure();
  if (phase != Phase::Sinter) {
    signature = readSignature(*module);
    if (mlir::failed(signature))
      return fail("the model's inputs or outputs cannot be described");
  }
  Phase mlirPhase = phase <= Phase::LLVMMLIR ? phase : Phase::LLVMMLIR;
  if (mlir::failed(lowerTo(*module, mlirPhase, options)))
    return fail("lowering failed");
  if (phase <= Phase::LLVMMLIR) {
    module->print(out);
    return llvm::Error::success();
  }
  if (signatureOut)
    *signatureOut = *signature;

  auto machine = createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      buildModelModule(*module, *signature, options, **machine, llvmContext);
  if (!llvmModule)
    return llvmModule.takeError();
  if (phase == Phase::LLVMIR) {
    (*llvmModule)->print(out, nullptr);
    return llvm::Error::success();
  }
  return writeMachineCode(**llvmModule, **machine, phase == Phase::Asm, out);
}

llvm::Error compileToObject(llvm::StringRef modelPath,
                            const CompileOptions &options,
                            llvm::StringRef objectPath,
                            ModelSignature *signature) {
  std::error_code ec;
  llvm::ToolOutputFile out(objectPath, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write " + objectPath + ": " + ec.message());
  if (llvm::Error error =
          compileModel(modelPath, options, Phase::Object, out.os(), signature))
    return error;
  out.keep();
  return llvm::Error::success();
}

llvm::Error compileToLibrary(llvm::StringRef modelPath, CompileOptions options,
                             LibraryKind kind, llvm::StringRef libraryPath,
                             ModelSignature *signature) {
  llvm::SmallString<128> object;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "sinter-" + options.name, "o", object))
    return llvm::createStringError("cannot create a temporary file: " +
                                   ec.message());
  llvm::FileRemover removeObject(object);
  options.exportLoadableSymbol = kind == LibraryKind::Shared;
  if (llvm::Error error = compileToObject(modelPath, options, object, signature))
    return error;
  return kind == LibraryKind::Shared ? linkSharedLibrary(object, libraryPath)
                                     : writeStaticArchive(object, libraryPath);
}

} // namespace sinter
