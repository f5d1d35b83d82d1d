// Polynomial approximations of the f32 math functions in vector code.
#ifndef SINTER_CODEGEN_CPU_VECTORMATH_H
#define SINTER_CODEGEN_CPU_VECTORMATH_H

#include "mlir/IR/Operation.h"

namespace mlir::sinter {

/// Whether `op` is a math op on f32 (scalar or vector) that
/// `approximateVectorMath` turns into arith and FMA code: exp, expm1, log,
/// log1p, tanh and erf.
bool hasVectorApproximation(Operation *op);

/// Replaces every such op on f32 vectors under `root` by its polynomial
/// approximation; scalar ops keep their libm call. The LLVM lowering of these
/// ops on vectors would otherwise call libm once per lane.
void approximateVectorMath(Operation *root);

} // namespace mlir::sinter

#endif // SINTER_CODEGEN_CPU_VECTORMATH_H
