// The sinter dialect's C++ declaration.
#ifndef SINTER_DIALECT_SINTERDIALECT_H
#define SINTER_DIALECT_SINTERDIALECT_H

#include "mlir/IR/Dialect.h"

#include "sinter/Dialect/SinterOpsDialect.h.inc"

#endif // SINTER_DIALECT_SINTERDIALECT_H
