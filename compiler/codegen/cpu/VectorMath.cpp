// Vector math: f32 transcendental functions in vector code as polynomial approximations.
//
// MLIR's approximations (mlir/Dialect/Math/Transforms) are used, log's with
// denormal inputs scaled into the normal range first (its exponent
// extraction assumes normal numbers). Maximum error measured against float64
// numpy over a dense sweep of f32 inputs, every binade, denormals, +-0,
// +-inf and nan included (test/E2E/vector_math.py holds these bounds):
//   exp 4.6 ulp (below 1 ulp except within 8 of overflow), log 0.8 ulp,
//   tanh 4.4 ulp, erf 4.0 ulp; libm gives 0.5 to 2.
// sin and cos are not approximated: MLIR's range reduction loses all
// accuracy for large arguments.
#include "codegen/cpu/VectorMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace {

/// The ops whose approximation is accurate enough (a few ulp) to replace the
/// libm call.
bool isApproximated(llvm::StringRef name) {
  return llvm::is_contained(
      {math::ExpOp::getOperationName(), math::ExpM1Op::getOperationName(),
       math::LogOp::getOperationName(), math::Log1pOp::getOperationName(),
       math::TanhOp::getOperationName(), math::ErfOp::getOperationName()},
      name);
}

/// log(x) as log(x * 2^23) - 23 log(2) where x is a positive denormal.
Operation *scaleDenormals(RewriterBase &rewriter, math::LogOp op) {
  Location loc = op.getLoc();
  Type type = op.getType();
  auto splat = [&](double value) -> Value {
    return arith::ConstantOp::create(
        rewriter, loc, type,
        DenseElementsAttr::get(cast<ShapedType>(type),
                               rewriter.getF32FloatAttr(value)));
  };
  rewriter.setInsertionPoint(op);
  Value x = op.getOperand();
  Value denormal = arith::CmpFOp::create(
      rewriter, loc, arith::CmpFPredicate::OLT, x,
      splat(std::numeric_limits<float>::min()));
  Value scaled = arith::SelectOp::create(
      rewriter, loc, denormal,
      arith::MulFOp::create(rewriter, loc, x, splat(8388608.0)), x);
  auto log = math::LogOp::create(rewriter, loc, scaled);
  Value shift = arith::SelectOp::create(rewriter, loc, denormal,
                                        splat(23 * std::log(2.0)), splat(0.0));
  rewriter.replaceOp(op, arith::SubFOp::create(rewriter, loc, log, shift));
  return log;
}

} // namespace

bool mlir::sinter::hasVectorApproximation(Operation *op) {
  return op->getNumResults() == 1 &&
         getElementTypeOrSelf(op->getResult(0).getType()).isF32() &&
         isApproximated(op->getName().getStringRef());
}

void mlir::sinter::approximateVectorMath(Operation *root) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    if (hasVectorApproximation(op) && isa<VectorType>(op->getResult(0).getType()))
      ops.push_back(op);
  });
  if (ops.empty())
    return;
  IRRewriter rewriter(root->getContext());
  for (Operation *&op : ops)
    if (auto log = dyn_cast<math::LogOp>(op))
      op = scaleDenormals(rewriter, log);
  RewritePatternSet patterns(root->getContext());
  populateMathPolynomialApproximationPatterns(patterns, isApproximated);
  // Only the vector ops and what their expansions make: a scalar op keeps
  // libm's correctly rounded result.
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
}
