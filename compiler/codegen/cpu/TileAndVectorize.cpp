// sinter-tile-and-vectorize: GEMMs in register-blocked tiles, elementwise ops and reductions as vector code.
#include "codegen/cpu/Passes.h"
#include "codegen/cpu/RowFusion.h"
#include "codegen/cpu/VectorMath.h"
#include "codegen/cpu/VectorReductions.h"

#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_TILEANDVECTORIZE
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

/// The unit attribute of a loop whose iterations may run on several threads
/// (the shared contract with sinter-outline-parallel).
constexpr llvm::StringLiteral kParallelLoop = "sinter.parallel";

/// Marks the ops this pass tiled, so that the copies peeling makes of a tile
/// are found again (they carry the attribute) and nothing else is touched.
constexpr llvm::StringLiteral kTileMarker = "__sinter_tile";

enum class Kind { None, Contraction, Elementwise, Reduction };

/// Element types whose vectors are laid out in memory as their scalars are:
/// an i1 or sub-byte vector would be bit-packed by the LLVM lowering. Half
/// types are left to scalar code, where the conversions are explicit.
bool isVectorElement(Type type) {
  if (type.isF32() || type.isF64())
    return true;
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth() >= 8 && integer.getWidth() <= 64 &&
           llvm::isPowerOf2_32(integer.getWidth());
  return false;
}

/// A buffer a vector transfer can load from with plain vector loads: static
/// shape, element type as above, unit stride in the innermost dimension.
bool isVectorOperand(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref)
    return isVectorElement(type);
  if (!memref.hasStaticShape() || !isVectorElement(memref.getElementType()))
    return false;
  if (memref.getRank() == 0)
    return true;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(memref.getStridesAndOffset(strides, offset)))
    return false;
  return strides.back() == 1;
}

/// Whether every op of the body has a vector form the LLVM lowering takes.
bool hasVectorBody(linalg::LinalgOp op) {
  for (Operation &inner : op->getRegion(0).front()) {
    if (isa<linalg::YieldOp, linalg::IndexOp>(inner))
      continue;
    // Math ops only where sinter-lower-vectors has a polynomial for them
    // (f32) or convert-math-to-llvm a vector intrinsic; the rest (f64 erf
    // and tanh, integer powers, ...) lower through libm or generated
    // functions, which take scalars only.
    bool vectorMath =
        mlir::sinter::hasVectorApproximation(&inner) ||
        isa<math::ExpOp, math::Exp2Op, math::LogOp, math::Log2Op, math::Log10Op,
            math::Log1pOp, math::SqrtOp, math::RsqrtOp, math::AbsFOp,
            math::AbsIOp, math::FmaOp, math::CeilOp, math::FloorOp,
            math::CopySignOp, math::PowFOp, math::RoundEvenOp, math::RoundOp,
            math::TruncOp, math::SinOp, math::CosOp>(inner);
    if (!vectorMath && !isa_and_nonnull<arith::ArithDialect>(inner.getDialect()))
      return false;
    for (Type type : inner.getResultTypes())
      if (!type.isIntOrIndexOrFloat())
        return false;
  }
  return true;
}

Kind classify(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op->getNumRegions() != 1 ||
      op.getNumLoops() == 0)
    return Kind::None;
  for (Value operand : op->getOperands())
    if (!isVectorOperand(operand.getType()))
      return Kind::None;
  if (!hasVectorBody(op))
    return Kind::None;
  if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)) {
    // The register tile assumes the usual row-major A x B layout.
    auto matmulMaps = [&](unsigned batch) {
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      MLIRContext *ctx = op->getContext();
      AffineExpr m = getAffineDimExpr(batch, ctx),
                 n = getAffineDimExpr(batch + 1, ctx),
                 k = getAffineDimExpr(batch + 2, ctx);
      SmallVector<AffineExpr> b;
      if (batch)
        b.push_back(getAffineDimExpr(0, ctx));
      auto map = [&](AffineExpr x, AffineExpr y) {
        SmallVector<AffineExpr> results(b);
        results.append({x, y});
        return AffineMap::get(batch + 3, 0, results, ctx);
      };
      return maps.size() == 3 && maps[0] == map(m, k) && maps[1] == map(k, n) &&
             maps[2] == map(m, n) &&
             isa<FloatType>(getElementTypeOrSelf(op.getDpsInitOperand(0)->get()));
    };
    if (matmulMaps(isa<linalg::BatchMatmulOp>(op) ? 1 : 0))
      return Kind::Contraction;
    return Kind::None;
  }
  if (op.getNumParallelLoops() == op.getNumLoops())
    return Kind::Elementwise;
  // Reductions the vectorizer recognizes (one combiner per output, projected
  // permutation maps); convolutions and pooling are other passes' business.
  if (isa<linalg::GenericOp, linalg::ReduceOp>(op) &&
      !linalg::isaConvolutionOpInterface(op) &&
      succeeded(linalg::vectorizeOpPrecondition(op)))
    return Kind::Reduction;
  return Kind::None;
}

/// Parallel loops first, reductions innermost: the accumulator's transfers
/// are then invariant in the innermost loops and are hoisted into registers.
SmallVector<unsigned> parallelFirst(linalg::LinalgOp op) {
  SmallVector<unsigned> order;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int pass = 0; pass < 2; ++pass)
    for (auto [i, iterator] : llvm::enumerate(iterators))
      if ((iterator == utils::IteratorType::parallel) == (pass == 0))
        order.push_back(i);
  return order;
}

/// Tiles `op` by `sizes` (0: not tiled), peels every tile loop so that the
/// tiles, main and remainder, have static shapes, and marks them.
/// The outermost tile loop is marked `sinter.parallel` when it steps a
/// parallel dimension (`markParallel`).
LogicalResult tileAndPeel(RewriterBase &rewriter, linalg::LinalgOp op,
                          ArrayRef<int64_t> sizes, int64_t stage,
                          ArrayRef<unsigned> interchange = {},
                          bool markParallel = false) {
  SmallVector<int64_t> clamped(sizes);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (auto [size, range] : llvm::zip(clamped, ranges))
    if (size >= range)
      size = 0;
  op->setAttr(kTileMarker, rewriter.getI64IntegerAttr(stage));
  if (llvm::all_of(clamped, [](int64_t s) { return s == 0; }))
    return success();
  linalg::LinalgTilingOptions options;
  options.setTileSizes(clamped);
  if (!interchange.empty())
    options.setInterchange(interchange);
  // The first tiled dimension in loop order is the outermost loop.
  std::optional<unsigned> outerDim;
  for (unsigned i = 0; i < clamped.size(); ++i) {
    unsigned dim = interchange.empty() ? i : interchange[i];
    if (clamped[dim] != 0) {
      outerDim = dim;
      break;
    }
  }
  bool outerParallel =
      markParallel && outerDim &&
      op.getIteratorTypesArray()[*outerDim] == utils::IteratorType::parallel;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::TiledLinalgOp> tiled = linalg::tileLinalgOp(rewriter, op, options);
  if (failed(tiled))
    return failure();
  // Innermost first: a peeled outer loop then copies already-peeled inner ones.
  SmallVector<scf::ForOp> loops;
  for (Operation *loop : llvm::reverse(tiled->loops))
    if (auto forOp = dyn_cast<scf::ForOp>(loop))
      loops.push_back(forOp);
  // Marked before peeling, so that the peeled remainder carries it too.
  if (outerParallel && !tiled->loops.empty())
    tiled->loops.front()->setAttr(kParallelLoop, rewriter.getUnitAttr());
  rewriter.eraseOp(op);
  linalg::peelLoops(rewriter, loops);
  return success();
}

struct TileAndVectorize
    : mlir::sinter::impl::TileAndVectorizeBase<TileAndVectorize> {
  using TileAndVectorizeBase::TileAndVectorizeBase;

  /// Lanes of f32 in one vector register.
  int64_t lanes() const { return std::max<int64_t>(4, vectorBits / 32); }

  SmallVector<int64_t> registerTileSizes() const {
    if (registerTile.size() == 2)
      return {registerTile[0], registerTile[1]};
    // Two vectors per row; rows so that the accumulators fill about half the
    // register file (16 registers without AVX-512, 32 with), leaving room for
    // the B row and the broadcast A element.
    return {vectorBits >= 512 ? 8 : 6, 2 * lanes()};
  }

  SmallVector<int64_t> cacheTileSizes() const {
    if (cacheTile.size() == 3)
      return {cacheTile[0], cacheTile[1], cacheTile[2]};
    return {64, 256, 256};
  }

  /// Runs canonicalization and CSE on the function, so that peeled loops of
  /// one iteration disappear and the tiles' shapes become static.
  LogicalResult cleanUp() {
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    return runPipeline(pm, getOperation());
  }

  template <typename Fn> SmallVector<linalg::LinalgOp> collect(Fn &&keep) {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (keep(op))
        ops.push_back(op);
    });
    return ops;
  }

  static int64_t stageOf(linalg::LinalgOp op) {
    auto attr = op->getAttrOfType<IntegerAttr>(kTileMarker);
    return attr ? attr.getInt() : -1;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    // Stage 0: cache tiles of contractions, vector rows of elementwise ops.
    for (linalg::LinalgOp op : collect([](linalg::LinalgOp op) {
           return classify(op) != Kind::None;
         })) {
      unsigned batch = isa<linalg::BatchMatmulOp>(op) ? 1 : 0;
      SmallVector<int64_t> sizes(batch, 1);
      SmallVector<unsigned> interchange;
      Kind kind = classify(op);
      if (kind == Kind::Contraction) {
        sizes.append(cacheTileSizes());
      } else {
        // One vector along the innermost dimension; a reduction gets four:
        // over the innermost axis, its partial sums are four independent
        // dependency chains (an add's latency is about four times its
        // throughput); over an outer one, each step reads a longer piece of
        // a row, which the prefetcher follows better than many short ones.
        sizes.assign(op.getNumLoops(), 1);
        sizes.back() = kind == Kind::Reduction ? 4 * lanes() : lanes();
        if (kind == Kind::Reduction)
          interchange = parallelFirst(op);
      }
      if (failed(tileAndPeel(rewriter, op, sizes, 0, interchange,
                             /*markParallel=*/kind != Kind::Contraction))) {
        op->emitError("cannot tile this op for vectorization");
        return signalPassFailure();
      }
    }
    if (failed(cleanUp()))
      return signalPassFailure();

    // Stage 1: register tiles of the contractions' cache tiles.
    for (linalg::LinalgOp op : collect([](linalg::LinalgOp op) {
           return stageOf(op) == 0 && classify(op) == Kind::Contraction;
         })) {
      unsigned batch = isa<linalg::BatchMatmulOp>(op) ? 1 : 0;
      SmallVector<int64_t> sizes(batch, 1);
      sizes.append(registerTileSizes());
      sizes.push_back(1);
      if (failed(tileAndPeel(rewriter, op, sizes, 1))) {
        op->emitError("cannot tile this op into register tiles");
        return signalPassFailure();
      }
    }
    if (failed(cleanUp()))
      return signalPassFailure();

    // Every tile now has a static shape; one it would not (a dynamic
    // remainder) stays a linalg op and becomes loops later.
    for (linalg::LinalgOp op : collect([](linalg::LinalgOp op) {
           return stageOf(op) >= 0;
         })) {
      op->removeAttr(kTileMarker);
      if (classify(op) == Kind::None)
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/classify(op) == Kind::Contraction);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }

    // Subviews folded into the transfers make the accumulator's indices
    // invariant in the K loop (a reduction's loops), so that its read and
    // write leave the loop and the accumulator lives in registers.
    auto hoist = [&](bool toContract) {
      RewritePatternSet patterns(&getContext());
      memref::populateFoldMemRefAliasOpPatterns(patterns);
      if (toContract)
        vector::populateVectorReductionToContractPatterns(patterns);
      vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                          &getContext());
      vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                           &getContext());
      // Not converging within the rewrite limit leaves correct, less tidy
      // code.
      (void)applyPatternsGreedily(func, std::move(patterns));
      func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
      linalg::hoistRedundantVectorTransfers(func, /*verifyNonZeroTrip=*/true);
    };
    // Reductions' accumulators are widened to vectors once they are loop
    // carried, before any multiply-add reduction becomes a contraction.
    hoist(/*toContract=*/false);
    mlir::sinter::vectorizeReductionAccumulators(func);
    hoist(/*toContract=*/true);
    if (failed(cleanUp()))
      return signalPassFailure();
    // Chains of row kernels (softmax, layer norm) run row by row.
    mlir::sinter::fuseRowLoops(func);
  }
};

} // namespace
