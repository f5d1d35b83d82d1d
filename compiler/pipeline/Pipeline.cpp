// The phases of the pipeline: which passes run between sinter and the LLVM dialect.
#include "pipeline/Pipeline.h"

#include "codegen/cpu/Passes.h"
#include "conversion/Passes.h"
#include "frontend/onnx/OnnxImporter.h"
#include "sinter/Dialect/SinterDialect.h"
#include "sinter/Dialect/SinterOps.h"
#include "transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

#include "sinter/sinter.h"

using namespace mlir;

namespace sinter {

std::optional<Phase> parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("sinter", Phase::Sinter)
      .Case("linalg", Phase::Linalg)
      .Case("llvm-mlir", Phase::LLVMMLIR)
      .Case("llvm", Phase::LLVMIR)
      .Case("asm", Phase::Asm)
      .Case("obj", Phase::Object)
      .Default(std::nullopt);
}

void registerPipelineDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registry.insert<mlir::sinter::SinterDialect>();
}

std::string modelFunctionName(const CompileOptions &options) {
  return "__sinter_" + options.name + "_forward";
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context, llvm::StringRef path,
                                const CompileOptions &options) {
  if (llvm::sys::path::extension(path) == ".mlir")
    return parseSourceFile<ModuleOp>(path, &context);
  OnnxImportOptions importOptions;
  for (const auto &entry : options.inputShapes)
    importOptions.inputShapes[entry.getKey()] = entry.getValue();
  importOptions.inputValues = options.inputValues;
  return importOnnxFile(context, path, importOptions);
}

static func::FuncOp findModelFunction(ModuleOp module) {
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    return main;
  func::FuncOp only;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (only)
      return nullptr;
    only = func;
  }
  return only;
}

/// The C API dtype of a tensor element type, or -1.
static int toDtype(Type type) {
  if (type.isF32())
    return SINTER_F32;
  if (type.isF16())
    return SINTER_F16;
  if (type.isBF16())
    return SINTER_BF16;
  if (type.isF64())
    return SINTER_F64;
  if (type.isInteger(1))
    return SINTER_BOOL;
  if (type.isUnsignedInteger(8))
    return SINTER_U8;
  if (type.isUnsignedInteger(16))
    return SINTER_U16;
  if (type.isUnsignedInteger(32))
    return SINTER_U32;
  if (type.isUnsignedInteger(64))
    return SINTER_U64;
  if (type.isSignlessInteger(8) || type.isSignedInteger(8))
    return SINTER_I8;
  if (type.isInteger(16))
    return SINTER_I16;
  if (type.isInteger(32))
    return SINTER_I32;
  if (type.isInteger(64))
    return SINTER_I64;
  if (isa<Float8E4M3FNType>(type))
    return SINTER_F8E4M3FN;
  if (isa<Float8E4M3FNUZType>(type))
    return SINTER_F8E4M3FNUZ;
  if (isa<Float8E5M2Type>(type))
    return SINTER_F8E5M2;
  if (isa<Float8E5M2FNUZType>(type))
    return SINTER_F8E5M2FNUZ;
  if (isa<Float8E8M0FNUType>(type))
    return SINTER_F8E8M0;
  return -1;
}

static FailureOr<TensorSignature> describe(func::FuncOp func, Type type,
                                           DictionaryAttr attrs,
                                           llvm::StringRef kind, size_t index) {
  TensorSignature signature;
  if (auto name = attrs ? attrs.getAs<StringAttr>("sinter.name") : nullptr)
    signature.name = name.str();
  else
    signature.name = (kind + std::to_string(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return func.emitError() << kind << " '" << signature.name
                            << "' must be a tensor of static shape, not "
                            << type;
  signature.dtype = toDtype(tensor.getElementType());
  // ONNX's sub-byte types travel in 8-bit carriers; the importer names them.
  if (auto format = attrs ? attrs.getAs<StringAttr>("sinter.format") : nullptr)
    signature.dtype = llvm::StringSwitch<int>(format.getValue())
                          .Case("int4", SINTER_I4)
                          .Case("uint4", SINTER_U4)
                          .Case("int2", SINTER_I2)
                          .Case("uint2", SINTER_U2)
                          .Case("float4e2m1", SINTER_F4E2M1)
                          .Default(-1);
  if (signature.dtype < 0)
    return func.emitError() << kind << " '" << signature.name
                            << "' has element type " << tensor.getElementType()
                            << ", which the C API cannot carry";
  signature.dims.assign(tensor.getShape().begin(), tensor.getShape().end());
  return signature;
}

FailureOr<ModelSignature> readSignature(ModuleOp module) {
  func::FuncOp func = findModelFunction(module);
  if (!func)
    return module.emitError("expected one model function (func.func @main)");
  ModelSignature signature;
  FunctionType type = func.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto input = describe(func, type.getInput(i), func.getArgAttrDict(i),
                          "input", i);
    if (failed(input))
      return failure();
    signature.inputs.push_back(*input);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    auto output = describe(func, type.getResult(i), func.getResultAttrDict(i),
                           "output", i);
    if (failed(output))
      return failure();
    signature.outputs.push_back(*output);
  }
  if (signature.outputs.empty())
    return func.emitError("the model has no outputs");
  return signature;
}

/// The graph passes on the sinter dialect, in a fixed order:
///  1. fold-constants first, so that shape arithmetic and weight
///     preprocessing (transposed, cast or dequantized weights) are constants
///     before anything looks for constant operands;
///  2. simplify removes no-op arithmetic and merges cast, transpose and
///     reshape chains, which exposes conv -> batch_norm and conv -> mul pairs
///     that a no-op (a same-type cast, x - 0) sat between;
///  3. fold-batchnorm then moves BatchNorm and per-channel scales into the
///     (now constant) conv and matmul weights;
///  4. canonicalize and CSE clean up what is left: duplicate constants and
///     ops, and the dead weights the folds replaced.
static void addGraphPasses(OpPassManager &pm) {
  pm.addPass(mlir::sinter::createFoldConstants());
  pm.addPass(mlir::sinter::createSimplify());
  pm.addPass(mlir::sinter::createFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// sinter → linalg on tensors, elementwise producers fused into consumers.
static void addLinalgPasses(OpPassManager &pm) {
  pm.addPass(mlir::sinter::createSinterToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(mlir::sinter::createFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Buffers → register-blocked, vectorized kernels for the target's vector
/// width. Skipped at -O0, which keeps the plain loops for debugging. Runs
/// before the memory plan: buffers that are still separate allocations are
/// known not to alias, which lets accumulators be hoisted into registers.
static void addVectorizationPasses(OpPassManager &pm,
                                   const CompileOptions &options) {
  if (options.optLevel == 0)
    return;
  unsigned vectorBits = mlir::sinter::targetVectorBits(options.triple, options.cpu);
  mlir::sinter::GemmKernelsOptions gemm;
  gemm.vectorBits = vectorBits;
  pm.addPass(mlir::sinter::createGemmKernels(gemm));
  pm.addNestedPass<func::FuncOp>(mlir::sinter::createDepthwiseConv({vectorBits}));
  mlir::sinter::TileAndVectorizeOptions tiling;
  tiling.vectorBits = vectorBits;
  pm.addNestedPass<func::FuncOp>(mlir::sinter::createTileAndVectorize(tiling));
  pm.addNestedPass<func::FuncOp>(mlir::sinter::createLowerVectors());
}

/// Tensors → buffers, every intermediate placed in one workspace.
static void addBufferizationPasses(OpPassManager &pm,
                                   const CompileOptions &options) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(mlir::sinter::createStridedCopiesToLinalg());
  addVectorizationPasses(pm, options);
  pm.addNestedPass<func::FuncOp>(mlir::sinter::createPlanMemory());
}

/// Buffers → loops → the LLVM dialect. Parallel loops are outlined first,
/// while they are still scf loops; -O0 runs everything on the caller.
static void addLLVMPasses(OpPassManager &pm, const CompileOptions &options) {
  if (options.optLevel > 0)
    pm.addPass(mlir::sinter::createOutlineParallel());

  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  // Expanding the strided views of vector loads and stores makes affine.apply.
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  // Vector lowering leaves ub.poison for lanes it overwrites.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

LogicalResult runGraphPasses(ModuleOp module) {
  PassManager pm(module->getContext());
  addGraphPasses(pm);
  return pm.run(module);
}

LogicalResult lowerTo(ModuleOp module, Phase phase,
                      const CompileOptions &options) {
  if (phase == Phase::Sinter)
    return success();
  func::FuncOp func = findModelFunction(module);
  if (!func)
    return module.emitError("expected one model function (func.func @main)");

  PassManager linalg(module->getContext());
  addLinalgPasses(linalg);
  if (failed(linalg.run(module)))
    return failure();
  if (phase == Phase::Linalg)
    return success();

  // The model function gets a name of its own so that several models link
  // into one program; the emitter wraps it and hides it.
  if (failed(SymbolTable::replaceAllSymbolUses(
          func, StringAttr::get(module->getContext(), modelFunctionName(options)),
          module)))
    return failure();
  func.setSymName(modelFunctionName(options));
  // Convolutions become GEMMs while still on tensors, where the gather's
  // buffer is planned like any other intermediate; -O0 keeps the plain conv.
  if (options.optLevel > 0) {
    PassManager kernels(module->getContext());
    kernels.addNestedPass<func::FuncOp>(mlir::sinter::createConvToGemm());
    kernels.addPass(createCanonicalizerPass());
    if (failed(kernels.run(module)))
      return failure();
  }
  PassManager bufferize(module->getContext());
  addBufferizationPasses(bufferize, options);
  if (failed(bufferize.run(module)))
    return failure();
  // The workspace size travels on the module to the emitter, and the plan's
  // bounds with it to `sinter inspect`.
  for (StringRef name : {"sinter.workspace_size", "sinter.intermediate_bytes",
                         "sinter.peak_live_bytes"})
    if (Attribute size = func->getAttr(name))
      module->setAttr(name, size);
  PassManager lower(module->getContext());
  addLLVMPasses(lower, options);
  return lower.run(module);
}

} // namespace sinter
