// Vector reductions: accumulators in registers and tree-shaped horizontal reductions.
#ifndef SINTER_CODEGEN_CPU_VECTORREDUCTIONS_H
#define SINTER_CODEGEN_CPU_VECTORREDUCTIONS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::sinter {

/// Rewrites every scf.for under `root` that carries a reduction's
/// accumulator (an iter_arg whose only use is the accumulator of a
/// vector.multi_reduction yielded back) so that it carries the whole source
/// vector instead: one elementwise combine per iteration and one
/// multi_reduction after the loop. The lanes then reduce in parallel; float
/// sums are reassociated, as every vectorized reduction does.
void vectorizeReductionAccumulators(Operation *root);

/// Adds a pattern that turns a vector.multi_reduction whose kept dimensions
/// are all of size one (a horizontal reduction) into a tree of
/// extract_strided_slice halves and elementwise combines: log2(n) steps
/// instead of n - 1 dependent scalar ones.
void populateHorizontalReductionPatterns(RewritePatternSet &patterns);

} // namespace mlir::sinter

#endif // SINTER_CODEGEN_CPU_VECTORREDUCTIONS_H
