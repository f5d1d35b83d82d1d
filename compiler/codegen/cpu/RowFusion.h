// Row fusion: adjacent parallel row loops of a kernel chain merged into one.
#ifndef SINTER_CODEGEN_CPU_ROWFUSION_H
#define SINTER_CODEGEN_CPU_ROWFUSION_H

#include "mlir/IR/Operation.h"

namespace mlir::sinter {

/// Merges adjacent `sinter.parallel` scf.for loops of unit step and equal
/// bounds under `root` when every buffer that one of them writes and the
/// other touches is accessed, in both, only at the row of the loop's own
/// induction variable (the same dimension, one element wide). A chain such as
/// softmax's max, sum of exponentials and normalization then runs on one row
/// at a time, the row staying in cache. Ops between the loops that touch
/// neither's buffers move above the first.
void fuseRowLoops(Operation *root);

} // namespace mlir::sinter

#endif // SINTER_CODEGEN_CPU_ROWFUSION_H
