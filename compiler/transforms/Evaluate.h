// Compile-time evaluation of sinter ops on constant operands, for the constant-folding pass.
#ifndef SINTER_TRANSFORMS_EVALUATE_H
#define SINTER_TRANSFORMS_EVALUATE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace mlir::sinter::fold {

/// The result of `op` (one of the elementwise, comparison, select, cast,
/// reduction or data-movement ops) on the constant `operands`, with the
/// semantics of its lowering; null when `op` is not evaluated here or an
/// element of the result would be undefined (an integer division by zero).
/// Defined in FoldConstants.cpp, from the two below.
DenseElementsAttr evaluate(Operation *op, ArrayRef<DenseElementsAttr> operands,
                           RankedTensorType resultType);

/// Elementwise ops (ElementwiseEval.cpp).
DenseElementsAttr evaluateElementwise(Operation *op,
                                      ArrayRef<DenseElementsAttr> operands,
                                      RankedTensorType resultType);

/// Data-movement ops and reductions (MovementEval.cpp).
DenseElementsAttr evaluateMovement(Operation *op,
                                   ArrayRef<DenseElementsAttr> operands,
                                   RankedTensorType resultType);

} // namespace mlir::sinter::fold

#endif // SINTER_TRANSFORMS_EVALUATE_H
