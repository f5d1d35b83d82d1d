// sinter-simplify: exact algebraic simplifications, cast and transpose chains, dead ops.
#include "transforms/Passes.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_SIMPLIFY
#include "transforms/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;
using namespace mlir::sinter;

namespace {

/// True when `value` is a constant whose every element equals `scalar`.
bool isSplatOf(Value value, double scalar) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  if (isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().convertToDouble() == scalar;
  return attr.getSplatValue<APInt>().getZExtValue() ==
         static_cast<uint64_t>(scalar);
}

/// `x - 0` and `x / 1` are x (also -0.0 - 0 and NaN / 1), unless the constant
/// broadcasts x to a larger shape.
template <typename OpTy>
struct RightIdentity : OpRewritePattern<OpTy> {
  RightIdentity(MLIRContext *context, double identity)
      : OpRewritePattern<OpTy>(context), identity(identity) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getLhs().getType() != op.getType() ||
        !isSplatOf(op.getRhs(), identity))
      return failure();
    rewriter.replaceOp(op, op.getLhs());
    return success();
  }
  double identity;
};

struct DoubleNegation : OpRewritePattern<NegOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NegOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<NegOp>();
    if (!inner)
      return failure();
    rewriter.replaceOp(op, inner.getInput());
    return success();
  }
};

/// `x + neg(y)` (either side) is `x - y`, and `x - neg(y)` is `x + y`:
/// IEEE subtraction is addition of the negation, so results are identical.
struct AddOfNegation : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    Value x = op.getLhs(), y = op.getRhs();
    auto neg = y.getDefiningOp<NegOp>();
    if (!neg) {
      std::swap(x, y);
      neg = y.getDefiningOp<NegOp>();
    }
    if (!neg)
      return failure();
    rewriter.replaceOpWithNewOp<SubOp>(op, op.getType(), x, neg.getInput());
    return success();
  }
};

struct SubOfNegation : OpRewritePattern<SubOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SubOp op,
                                PatternRewriter &rewriter) const override {
    auto neg = op.getRhs().getDefiningOp<NegOp>();
    if (!neg)
      return failure();
    rewriter.replaceOpWithNewOp<AddOp>(op, op.getType(), op.getLhs(),
                                       neg.getInput());
    return success();
  }
};

/// Whether every value of element type `from` converts to `to` exactly.
bool isLossless(Type from, Type to) {
  if (from == to || from.isInteger(1))
    return true;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat)
    return toFloat && toFloat.getWidth() > fromFloat.getWidth() &&
           APFloat::isRepresentableBy(fromFloat.getFloatSemantics(),
                                      toFloat.getFloatSemantics());
  auto fromInt = cast<IntegerType>(from);
  unsigned magnitude =
      fromInt.isUnsigned() ? fromInt.getWidth() : fromInt.getWidth() - 1;
  if (toFloat)
    return magnitude <=
           APFloat::semanticsPrecision(toFloat.getFloatSemantics());
  auto toInt = cast<IntegerType>(to);
  if (toInt.isUnsigned() || toInt.getWidth() == 1)
    return false;
  return toInt.getWidth() > magnitude;
}

/// `cast(cast(x))` is one cast when the inner one loses nothing: the outer
/// cast then sees x's own value.
struct CastOfLosslessCast : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<CastOp>();
    if (!inner || !isLossless(inner.getInput().getType().getElementType(),
                              inner.getType().getElementType()))
      return failure();
    if (inner.getInput().getType() == op.getType())
      rewriter.replaceOp(op, inner.getInput());
    else
      rewriter.replaceOpWithNewOp<CastOp>(op, op.getType(), inner.getInput());
    return success();
  }
};

/// A transpose that keeps the dimensions larger than 1 in their order only
/// moves unit dimensions: the row-major element order is unchanged, so it is
/// a reshape (which then merges with neighbouring reshapes).
struct TransposeOfUnitDims : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    int64_t last = -1;
    for (int64_t p : op.getPerm()) {
      if (shape[p] == 1)
        continue;
      if (p < last)
        return failure();
      last = p;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// `pow(x, 2)` is x * x, exactly; `pow(x, 3)` is x * x * x, within an ulp
/// (as onnxruntime computes it). Exporters write GELU's tanh form and
/// variances with Pow, which would otherwise be a libm call per element.
struct SmallIntegerPower : OpRewritePattern<PowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PowOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getLhs().getType() != op.getType() ||
        !isa<FloatType>(getElementTypeOrSelf(op.getType())))
      return failure();
    bool cube = isSplatOf(op.getRhs(), 3.0);
    if (!cube && !isSplatOf(op.getRhs(), 2.0))
      return failure();
    Value x = op.getLhs();
    Value square = MulOp::create(rewriter, op.getLoc(), op.getType(), x, x);
    rewriter.replaceOp(op, cube ? MulOp::create(rewriter, op.getLoc(),
                                                op.getType(), square, x)
                                      .getResult()
                                : square);
    return success();
  }
};

struct SimplifyPass : mlir::sinter::impl::SimplifyBase<SimplifyPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    patterns.add<RightIdentity<SubOp>>(context, 0.0);
    patterns.add<RightIdentity<DivOp>>(context, 1.0);
    patterns.add<DoubleNegation, AddOfNegation, SubOfNegation,
                 CastOfLosslessCast, TransposeOfUnitDims, SmallIntegerPower>(
        context);
    // The sinter ops' own canonicalizations (flatten, squeeze and unsqueeze
    // become reshapes), so that the chains above meet in one form.
    for (RegisteredOperationName name : context->getRegisteredOperations())
      if (isa<SinterDialect>(name.getDialect()))
        name.getCanonicalizationPatterns(patterns, context);
    // The driver also applies the ops' folds and erases ops whose results
    // are unused: that is the dead-code elimination, as every sinter op is
    // pure.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};

} // namespace
