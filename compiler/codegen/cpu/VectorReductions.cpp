// Vector reductions: a loop's scalar accumulator widened to a vector, and horizontal reductions as trees.
#include "codegen/cpu/VectorReductions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace {

/// The value x with combine(x, y) == y for every y, or null.
TypedAttr identity(vector::CombiningKind kind, Type elementType) {
  using K = vector::CombiningKind;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    const llvm::fltSemantics &sem = floatType.getFloatSemantics();
    switch (kind) {
    case K::ADD:
      return FloatAttr::get(floatType, llvm::APFloat::getZero(sem));
    case K::MUL:
      return FloatAttr::get(floatType, llvm::APFloat::getOne(sem));
    case K::MAXNUMF:
    case K::MAXIMUMF:
      return FloatAttr::get(floatType, llvm::APFloat::getInf(sem, true));
    case K::MINNUMF:
    case K::MINIMUMF:
      return FloatAttr::get(floatType, llvm::APFloat::getInf(sem, false));
    default:
      return nullptr;
    }
  }
  auto intType = dyn_cast<IntegerType>(elementType);
  if (!intType)
    return nullptr;
  unsigned width = intType.getWidth();
  llvm::APInt value;
  switch (kind) {
  case K::ADD:
  case K::OR:
  case K::XOR:
  case K::MAXUI:
    value = llvm::APInt::getZero(width);
    break;
  case K::MUL:
    value = llvm::APInt(width, 1);
    break;
  case K::AND:
  case K::MINUI:
    value = llvm::APInt::getAllOnes(width);
    break;
  case K::MAXSI:
    value = llvm::APInt::getSignedMinValue(width);
    break;
  case K::MINSI:
    value = llvm::APInt::getSignedMaxValue(width);
    break;
  default:
    return nullptr;
  }
  return IntegerAttr::get(intType, value);
}

/// Whether reducing `op` combines lanes of more than one element, i.e.
/// whether a wider accumulator gains anything.
bool reducesLanes(vector::MultiDimReductionOp op) {
  ArrayRef<int64_t> shape = op.getSourceVectorType().getShape();
  return llvm::any_of(op.getReductionDims(),
                      [&](int64_t d) { return shape[d] > 1; });
}

/// Widens the accumulator of iter_arg `index` of `loop` if it is one; returns
/// the loop that replaced `loop`, or null.
scf::ForOp widenAccumulator(RewriterBase &rewriter, scf::ForOp loop, unsigned index) {
  BlockArgument arg = loop.getRegionIterArgs()[index];
  if (!arg.hasOneUse())
    return nullptr;
  auto reduction = dyn_cast<vector::MultiDimReductionOp>(*arg.getUsers().begin());
  if (!reduction || reduction.getAcc() != arg || !reducesLanes(reduction) ||
      !reduction->hasOneUse() ||
      reduction->getParentOp() != loop.getOperation())
    return nullptr;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  if (yield.getOperand(index) != reduction.getResult())
    return nullptr;
  VectorType wide = reduction.getSourceVectorType();
  vector::CombiningKind kind = reduction.getKind();
  TypedAttr neutral = identity(kind, wide.getElementType());
  if (!neutral)
    return nullptr;

  Location loc = reduction.getLoc();
  rewriter.setInsertionPoint(loop);
  Value init = arith::ConstantOp::create(
      rewriter, loc, wide, DenseElementsAttr::get(wide, neutral));
  Value source = reduction.getSource();
  FailureOr<LoopLikeOpInterface> widened =
      cast<LoopLikeOpInterface>(loop.getOperation())
          .replaceWithAdditionalYields(
              rewriter, init, /*replaceInitOperandUsesInLoop=*/false,
              [&](OpBuilder &b, Location, ArrayRef<BlockArgument> args) {
                return SmallVector<Value>{vector::makeArithReduction(
                    b, loc, kind, source, args.front())};
              });
  if (failed(widened))
    return nullptr;
  auto newLoop = cast<scf::ForOp>(widened->getOperation());
  // The old accumulator now passes through unchanged (canonicalization drops
  // it); the lanes are reduced into it once, after the loop.
  rewriter.replaceOp(reduction, newLoop.getRegionIterArgs()[index]);
  rewriter.setInsertionPointAfter(newLoop);
  Value partial = newLoop.getResults().back();
  Value before = newLoop.getResult(index);
  auto final = vector::MultiDimReductionOp::create(
      rewriter, loc, before.getType(), kind, partial, before,
      reduction.getReductionDims());
  rewriter.replaceAllUsesExcept(before, final.getResult(), final);
  return newLoop;
}

/// The buffer a memref value views, through any chain of views.
Value rootOf(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// Hoists the accumulator of `reduction` (read before it and written after
/// it, in `loop`'s body, at indices invariant in the loop) into an iter_arg
/// of `loop`. Unlike linalg's hoisting, a view between the buffer and the
/// transfers is no obstacle: every other access in the loop to the same
/// underlying buffer, through any view, forbids it. Returns the new loop or
/// null.
scf::ForOp hoistAccumulator(RewriterBase &rewriter, scf::ForOp loop,
                            vector::MultiDimReductionOp reduction) {
  auto read = reduction.getAcc().getDefiningOp<vector::TransferReadOp>();
  if (!read || read->getParentOp() != loop.getOperation() ||
      !read->hasOneUse() || !reduction->hasOneUse() || read.getMask())
    return nullptr;
  auto write = dyn_cast<vector::TransferWriteOp>(*reduction->user_begin());
  if (!write || write->getParentOp() != loop.getOperation() ||
      write.getBase() != read.getBase() || write.getMask() ||
      write.getIndices() != read.getIndices() ||
      write.getPermutationMap() != read.getPermutationMap() ||
      write.getVectorType() != read.getVectorType() ||
      !isa<MemRefType>(read.getBase().getType()))
    return nullptr;
  for (Value operand : read->getOperands())
    if (!loop.isDefinedOutsideOfLoop(operand))
      return nullptr;
  Value root = rootOf(read.getBase());
  bool aliased = false;
  loop.getBody()->walk([&](Operation *op) {
    if (op == read.getOperation() || op == write.getOperation())
      return;
    for (Value operand : op->getOperands())
      if (isa<BaseMemRefType>(operand.getType()) && rootOf(operand) == root)
        aliased = true;
  });
  if (aliased)
    return nullptr;

  rewriter.moveOpBefore(read, loop);
  Value value = reduction.getResult();
  FailureOr<LoopLikeOpInterface> hoisted =
      cast<LoopLikeOpInterface>(loop.getOperation())
          .replaceWithAdditionalYields(
              rewriter, read.getResult(),
              /*replaceInitOperandUsesInLoop=*/true,
              [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                return SmallVector<Value>{value};
              });
  if (failed(hoisted))
    return nullptr;
  auto newLoop = cast<scf::ForOp>(hoisted->getOperation());
  rewriter.moveOpAfter(write, newLoop);
  rewriter.modifyOpInPlace(write, [&] {
    write.getValueToStoreMutable().set(newLoop.getResults().back());
  });
  return newLoop;
}

/// multi_reduction keeping only unit dimensions -> a tree of halves.
struct HorizontalReduction : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType source = op.getSourceVectorType();
    if (source.isScalable())
      return failure();
    for (auto [dim, size] : llvm::enumerate(source.getShape()))
      if (!op.isReducedDim(dim) && size != 1)
        return failure();
    Location loc = op.getLoc();
    vector::CombiningKind kind = op.getKind();
    int64_t n = source.getNumElements();
    Value flat = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({n}, source.getElementType()),
        op.getSource());
    SmallVector<Value> tails;
    while (n > 1) {
      int64_t half = n / 2;
      if (n % 2)
        tails.push_back(vector::ExtractOp::create(rewriter, loc, flat, n - 1));
      Value lo = vector::ExtractStridedSliceOp::create(
          rewriter, loc, flat, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{half},
          ArrayRef<int64_t>{1});
      Value hi = vector::ExtractStridedSliceOp::create(
          rewriter, loc, flat, ArrayRef<int64_t>{half}, ArrayRef<int64_t>{half},
          ArrayRef<int64_t>{1});
      flat = vector::makeArithReduction(rewriter, loc, kind, lo, hi);
      n = half;
    }
    Value result = vector::ExtractOp::create(rewriter, loc, flat, 0);
    for (Value tail : tails)
      result = vector::makeArithReduction(rewriter, loc, kind, result, tail);
    Value acc = op.getAcc();
    if (auto accType = dyn_cast<VectorType>(acc.getType()))
      acc = vector::ExtractOp::create(
          rewriter, loc, acc, SmallVector<int64_t>(accType.getRank(), 0));
    result = vector::makeArithReduction(rewriter, loc, kind, result, acc);
    if (isa<VectorType>(op.getType()))
      result = vector::BroadcastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::vectorizeReductionAccumulators(Operation *root) {
  IRRewriter rewriter(root->getContext());
  // Post-order: an inner loop is widened first, which leaves its
  // multi_reduction after it, where the enclosing loop's accumulator sees it.
  SmallVector<scf::ForOp> loops;
  root->walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops) {
    // Accumulators still in memory (behind a view) first become iter_args.
    SmallVector<vector::MultiDimReductionOp> reductions(
        loop.getBody()->getOps<vector::MultiDimReductionOp>());
    for (vector::MultiDimReductionOp reduction : reductions)
      if (scf::ForOp hoisted = hoistAccumulator(rewriter, loop, reduction))
        loop = hoisted;
    // Widening replaces the loop; its replacement keeps the iter_args'
    // positions, so the scan goes on there.
    for (unsigned i = 0; i < loop.getNumRegionIterArgs(); ++i)
      if (scf::ForOp widened = widenAccumulator(rewriter, loop, i))
        loop = widened;
  }
}

void mlir::sinter::populateHorizontalReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<HorizontalReduction>(patterns.getContext());
}
