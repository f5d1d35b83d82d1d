// Declarations and registration of the graph passes on the sinter dialect.
#ifndef SINTER_TRANSFORMS_PASSES_H
#define SINTER_TRANSFORMS_PASSES_H

#include "sinter/Dialect/SinterDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir::sinter {

#define GEN_PASS_DECL
#include "transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "transforms/Passes.h.inc"

} // namespace mlir::sinter

#endif // SINTER_TRANSFORMS_PASSES_H
