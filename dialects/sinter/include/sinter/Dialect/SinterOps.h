// The sinter ops' C++ declarations.
#ifndef SINTER_DIALECT_SINTEROPS_H
#define SINTER_DIALECT_SINTEROPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "sinter/Dialect/SinterDialect.h"

#define GET_OP_CLASSES
#include "sinter/Dialect/SinterOps.h.inc"

namespace mlir::sinter {

/// Normalizes a possibly negative axis against `rank`; fails when out of range.
FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

} // namespace mlir::sinter

#endif // SINTER_DIALECT_SINTEROPS_H
