// sinter-fold-constants: replaces sinter ops on constant operands by constants, without duplicating large weights.
#include "transforms/ConstantData.h"
#include "transforms/Evaluate.h"
#include "transforms/Passes.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_FOLDCONSTANTS
#include "transforms/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;
using namespace mlir::sinter;

DenseElementsAttr fold::evaluate(Operation *op,
                                 ArrayRef<DenseElementsAttr> operands,
                                 RankedTensorType resultType) {
  if (DenseElementsAttr value = evaluateElementwise(op, operands, resultType))
    return value;
  return evaluateMovement(op, operands, resultType);
}

namespace {

/// Whether folding `op` keeps the module's constant data from growing: a
/// small result, a splat, or a result no larger than the constants that die
/// with `op` (those it alone uses).
bool worthFolding(Operation *op, ArrayRef<DenseElementsAttr> operands,
                  RankedTensorType type, int64_t maxElements) {
  int64_t produced = type.getNumElements();
  if (produced <= maxElements)
    return true;
  if (!isa<ConcatOp>(op) &&
      llvm::all_of(operands, [](DenseElementsAttr a) { return a.isSplat(); }))
    return true;
  int64_t freed = 0;
  llvm::SmallPtrSet<Value, 4> counted;
  for (auto [value, attr] : llvm::zip(op->getOperands(), operands)) {
    if (attr.isSplat() || !counted.insert(value).second)
      continue;
    if (llvm::all_of(value.getUsers(),
                     [&](Operation *user) { return user == op; }))
      freed += attr.getNumElements();
  }
  return produced <= freed;
}

struct FoldToConstant : RewritePattern {
  FoldToConstant(MLIRContext *context, int64_t maxElements)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context),
        maxElements(maxElements) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa_and_nonnull<SinterDialect>(op->getDialect()) ||
        isa<ConstantOp>(op) || op->getNumResults() != 1 ||
        op->getNumOperands() == 0)
      return failure();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape() ||
        !fold::isSupportedElement(type.getElementType()))
      return failure();
    SmallVector<DenseElementsAttr> operands;
    for (Value operand : op->getOperands()) {
      DenseElementsAttr value;
      if (!matchPattern(operand, m_Constant(&value)) ||
          !fold::isSupportedElement(value.getElementType()))
        return rewriter.notifyMatchFailure(op, "an operand is not constant");
      operands.push_back(value);
    }
    if (!worthFolding(op, operands, type, maxElements))
      return rewriter.notifyMatchFailure(op, "the result is too large");
    DenseElementsAttr value = fold::evaluate(op, operands, type);
    if (!value)
      return rewriter.notifyMatchFailure(op, "not evaluated at compile time");
    rewriter.replaceOpWithNewOp<ConstantOp>(op, value);
    return success();
  }

  int64_t maxElements;
};

struct FoldConstantsPass
    : mlir::sinter::impl::FoldConstantsBase<FoldConstantsPass> {
  using FoldConstantsBase::FoldConstantsBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldToConstant>(&getContext(), maxElements);
    // Top-down: a chain of constant ops folds in one sweep, producers first.
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    // Not converging within the driver's iteration limit only leaves some
    // foldable ops in place, which is still correct.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns), config);
  }
};

} // namespace
