// LLVM IR for a compiled model: the descriptor of model_abi.h, the invoke wrapper, optimization, machine code.
#include "emit/Emit.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

#include "sinter/model_abi.h"

using namespace llvm;

namespace sinter {

Expected<std::unique_ptr<TargetMachine>>
createTargetMachine(const CompileOptions &options) {
  static bool initialized = [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    InitializeAllAsmParsers();
    return true;
  }();
  (void)initialized;

  std::string tripleName = options.triple.empty()
                               ? sys::getDefaultTargetTriple()
                               : Triple::normalize(options.triple);
  Triple triple(tripleName);
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("target '" + tripleName + "': " + error);

  bool host = options.triple.empty() ||
              triple.getArch() == Triple(sys::getProcessTriple()).getArch();
  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native") {
    if (!host)
      return llvm::createStringError("--cpu=native needs the host as target; name a CPU "
                       "for " + tripleName);
    cpu = sys::getHostCPUName().str();
    SubtargetFeatures featureSet;
    for (const auto &feature : sys::getHostCPUFeatures())
      featureSet.AddFeature(feature.getKey(), feature.getValue());
    features = featureSet.getString();
  } else if (cpu.empty()) {
    cpu = "generic";
  }

  TargetOptions targetOptions;
  CodeGenOptLevel level = options.optLevel == 0   ? CodeGenOptLevel::None
                          : options.optLevel == 1 ? CodeGenOptLevel::Less
                          : options.optLevel == 2 ? CodeGenOptLevel::Default
                                                  : CodeGenOptLevel::Aggressive;
  std::unique_ptr<TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " + tripleName +
                     " (cpu " + cpu + ")");
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return llvm::createStringError("unknown CPU '" + cpu + "' for " + tripleName);
  return machine;
}

namespace {

/// Builds the constant descriptors of model_abi.h inside one LLVM module.
class DescriptorBuilder {
public:
  DescriptorBuilder(Module &module, StringRef name)
      : module(module), context(module.getContext()), name(name.str()),
        ptr(PointerType::getUnqual(context)), i32(Type::getInt32Ty(context)),
        i64(Type::getInt64Ty(context)),
        tensorDesc(StructType::get(context, {ptr, i32, i32, ptr})) {}

  Constant *string(StringRef text, const Twine &symbol) {
    Constant *init = ConstantDataArray::getString(context, text);
    return privateGlobal(init, symbol);
  }

  Constant *privateGlobal(Constant *init, const Twine &symbol) {
    auto *global = new GlobalVariable(module, init->getType(), /*isConstant=*/true,
                                      GlobalValue::PrivateLinkage, init,
                                      "__sinter_" + name + "_" + symbol);
    global->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    return global;
  }

  /// The array of sinter_tensor_desc for the inputs or the outputs.
  Constant *tensorArray(ArrayRef<TensorSignature> tensors, StringRef kind) {
    SmallVector<Constant *> descs;
    for (auto [i, tensor] : llvm::enumerate(tensors)) {
      std::string tag = (kind + Twine(i)).str();
      Constant *dims = ConstantPointerNull::get(ptr);
      if (!tensor.dims.empty()) {
        SmallVector<uint64_t> values(tensor.dims.begin(), tensor.dims.end());
        dims = privateGlobal(ConstantDataArray::get(context, values),
                             tag + "_dims");
      }
      descs.push_back(ConstantStruct::get(
          tensorDesc, {string(tensor.name, tag + "_name"),
                       ConstantInt::get(i32, tensor.dtype),
                       ConstantInt::get(i32, tensor.dims.size()), dims}));
    }
    if (descs.empty())
      return ConstantPointerNull::get(ptr);
    return privateGlobal(
        ConstantArray::get(ArrayType::get(tensorDesc, descs.size()), descs),
        kind + "s");
  }

  Module &module;
  LLVMContext &context;
  std::string name;
  PointerType *ptr;
  IntegerType *i32, *i64;
  StructType *tensorDesc;
};

/// `void invoke(void *const *inputs, void *const *outputs, void *workspace)`:
/// unpacks the pointer arrays into the model function's bare-pointer arguments.
Function *buildInvoke(DescriptorBuilder &b, Function *forward,
                      const ModelSignature &signature) {
  LLVMContext &context = b.context;
  auto *type = FunctionType::get(Type::getVoidTy(context), {b.ptr, b.ptr, b.ptr},
                                 false);
  Function *invoke = Function::Create(type, GlobalValue::InternalLinkage,
                                      "__sinter_" + b.name + "_invoke", b.module);
  IRBuilder<> builder(BasicBlock::Create(context, "entry", invoke));
  SmallVector<Value *> args;
  auto unpack = [&](Value *array, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      Value *slot = builder.CreateConstInBoundsGEP1_64(b.ptr, array, i);
      args.push_back(builder.CreateLoad(b.ptr, slot));
    }
  };
  unpack(invoke->getArg(0), signature.inputs.size());
  unpack(invoke->getArg(1), signature.outputs.size());
  args.push_back(invoke->getArg(2));
  builder.CreateCall(forward, args);
  builder.CreateRetVoid();
  return invoke;
}

/// `const sinter_model *SYMBOL(void)`, returning the descriptor.
void buildAccessor(DescriptorBuilder &b, Constant *model, StringRef symbol) {
  auto *type = FunctionType::get(b.ptr, {}, false);
  Function *accessor = Function::Create(type, GlobalValue::ExternalLinkage,
                                        symbol, b.module);
  IRBuilder<> builder(BasicBlock::Create(b.context, "entry", accessor));
  builder.CreateRet(model);
}

} // namespace

Expected<std::unique_ptr<Module>>
buildModelModule(mlir::ModuleOp module, const ModelSignature &signature,
                 const CompileOptions &options, TargetMachine &machine,
                 LLVMContext &context) {
  uint64_t workspaceSize = 0;
  if (auto attr = module->getAttrOfType<mlir::IntegerAttr>("sinter.workspace_size"))
    workspaceSize = attr.getInt();

  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, options.name);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());

  Function *forward = llvmModule->getFunction(modelFunctionName(options));
  size_t arity = signature.inputs.size() + signature.outputs.size() + 1;
  if (!forward || forward->arg_size() != arity)
    return llvm::createStringError("the lowered model function does not take one pointer "
                     "per input and output plus a workspace");
  forward->setLinkage(GlobalValue::InternalLinkage);

  DescriptorBuilder b(*llvmModule, options.name);
  Function *invoke = buildInvoke(b, forward, signature);
  Constant *inputs = b.tensorArray(signature.inputs, "input");
  Constant *outputs = b.tensorArray(signature.outputs, "output");
  auto *modelType = StructType::get(
      context, {b.i32, b.i32, b.ptr, b.i32, b.i32, b.ptr, b.ptr, b.i64, b.ptr});
  Constant *model = b.privateGlobal(
      ConstantStruct::get(
          modelType,
          {ConstantInt::get(b.i32, SINTER_MODEL_MAGIC),
           ConstantInt::get(b.i32, SINTER_MODEL_ABI_VERSION),
           b.string(options.name, "name"),
           ConstantInt::get(b.i32, signature.inputs.size()),
           ConstantInt::get(b.i32, signature.outputs.size()), inputs, outputs,
           ConstantInt::get(b.i64, workspaceSize), invoke}),
      "model");
  buildAccessor(b, model, options.name + "_model");
  if (options.exportLoadableSymbol)
    buildAccessor(b, model, "sinter_loadable_model");

  // Everything but the accessors stays inside the object.
  for (Function &function : *llvmModule)
    if (!function.isDeclaration() && function.getName() != options.name + "_model" &&
        function.getName() != "sinter_loadable_model")
      function.setLinkage(GlobalValue::InternalLinkage);

  std::string message;
  raw_string_ostream verifyStream(message);
  if (verifyModule(*llvmModule, &verifyStream))
    return llvm::createStringError("generated LLVM IR is invalid: " + message);

  if (options.optLevel > 0) {
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    PipelineTuningOptions tuning;
    tuning.LoopVectorization = true;
    tuning.SLPVectorization = true;
    PassBuilder passBuilder(&machine, tuning);
    passBuilder.registerModuleAnalyses(mam);
    passBuilder.registerCGSCCAnalyses(cgam);
    passBuilder.registerFunctionAnalyses(fam);
    passBuilder.registerLoopAnalyses(lam);
    passBuilder.crossRegisterProxies(lam, fam, cgam, mam);
    OptimizationLevel level = options.optLevel == 1   ? OptimizationLevel::O1
                              : options.optLevel == 2 ? OptimizationLevel::O2
                                                      : OptimizationLevel::O3;
    ModulePassManager mpm = passBuilder.buildPerModuleDefaultPipeline(level);
    mpm.run(*llvmModule, mam);
  }
  return llvmModule;
}

Error writeMachineCode(Module &module, TargetMachine &machine, bool assembly,
                       raw_pwrite_stream &out) {
  legacy::PassManager pm;
  CodeGenFileType type =
      assembly ? CodeGenFileType::AssemblyFile : CodeGenFileType::ObjectFile;
  if (machine.addPassesToEmitFile(pm, out, nullptr, type))
    return llvm::createStringError("the target cannot emit this file type");
  pm.run(module);
  return Error::success();
}

} // namespace sinter
