// The vector register width of a target CPU, which sizes the register tiles.
#include "codegen/cpu/Passes.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>

namespace mlir::sinter {

unsigned targetVectorBits(llvm::StringRef tripleName, llvm::StringRef cpu) {
  std::string tripleString =
      tripleName.empty() ? llvm::sys::getDefaultTargetTriple() : tripleName.str();
  llvm::Triple triple(tripleString);
  if (!triple.isX86())
    return 128; // NEON and the rest: scalable or 128-bit registers.
  if (cpu == "native" || cpu.empty()) {
    if (cpu.empty())
      return 128; // "generic" x86-64: SSE2.
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    if (features.lookup("avx512f"))
      return 512;
    return features.lookup("avx") ? 256 : 128;
  }
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return 128;
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, cpu, ""));
  if (!info || !info->isCPUStringValid(cpu))
    return 128;
  if (info->checkFeatures("+avx512f"))
    return 512;
  return info->checkFeatures("+avx") ? 256 : 128;
}

} // namespace mlir::sinter
