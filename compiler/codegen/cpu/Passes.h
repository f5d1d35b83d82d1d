// Declarations and registration of the CPU code-generation passes.
#ifndef SINTER_CODEGEN_CPU_PASSES_H
#define SINTER_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::sinter {

#define GEN_PASS_DECL
#include "codegen/cpu/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/cpu/Passes.h.inc"

/// Bits in one vector register of `cpu` on `triple` (empty: the host; cpu
/// "native": the host's CPU): 512 with AVX-512, 256 with AVX, else 128.
unsigned targetVectorBits(llvm::StringRef triple, llvm::StringRef cpu);

} // namespace mlir::sinter

#endif // SINTER_CODEGEN_CPU_PASSES_H
