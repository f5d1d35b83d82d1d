// sinter-lower-vectors: n-D vector ops down to the 1-D ops and FMAs that convert-vector-to-llvm takes.
#include "codegen/cpu/Passes.h"
#include "codegen/cpu/VectorMath.h"
#include "codegen/cpu/VectorReductions.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_LOWERVECTORS
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

struct LowerVectors : mlir::sinter::impl::LowerVectorsBase<LowerVectors> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    func::FuncOp func = getOperation();

    // Each step's patterns assume the previous step's output, as in the
    // order the vector dialect's own lowering tests use; one greedy set with
    // all of them could pick a worse lowering first.
    auto apply = [&](auto populate) {
      RewritePatternSet patterns(context);
      populate(patterns);
      vector::populateVectorToVectorCanonicalizationPatterns(patterns);
      // Not converging within the rewrite limit is no error: whatever n-D
      // op is left, convert-vector-to-llvm lowers or reports.
      (void)applyPatternsGreedily(func, std::move(patterns));
    };

    // f32 transcendental functions on vectors: polynomials, not one libm
    // call per lane.
    mlir::sinter::approximateVectorMath(func);

    auto steps = {
        // Contractions: unit dims away, then outer products of one row.
        // Horizontal reductions: trees of halves before the generic
        // multi-reduction lowering would make them a chain of scalar ops.
        +[](RewritePatternSet &p) {
          mlir::sinter::populateHorizontalReductionPatterns(p);
          vector::populateCastAwayVectorLeadingOneDimPatterns(p);
          vector::populateVectorContractLoweringPatterns(
              p, vector::VectorContractLowering::OuterProduct);
          vector::populateVectorMaskOpLoweringPatterns(p);
        },
        // Outer products become FMAs; the rest of the n-D ops follow.
        +[](RewritePatternSet &p) {
          vector::populateVectorOuterProductLoweringPatterns(p);
          vector::populateVectorMultiReductionLoweringPatterns(
              p, vector::VectorMultiReductionLowering::InnerParallel);
          vector::populateVectorBroadcastLoweringPatterns(p);
          vector::populateVectorTransposeLoweringPatterns(
              p, vector::VectorTransposeLowering::EltWise);
          vector::populateVectorTransferPermutationMapLoweringPatterns(p);
          vector::populateVectorShapeCastLoweringPatterns(p);
        },
        // n-D transfers: unrolled into 1-D ones, then plain loads and stores.
        +[](RewritePatternSet &p) {
          populateVectorToSCFConversionPatterns(
              p, VectorTransferToSCFOptions().enableFullUnroll().setTargetRank(1));
        },
        +[](RewritePatternSet &p) {
          vector::populateVectorTransferLoweringPatterns(p, /*maxTransferRank=*/1);
          vector::populateVectorTransferPermutationMapLoweringPatterns(p);
          vector::populateVectorShapeCastLoweringPatterns(p);
          vector::populateVectorBroadcastLoweringPatterns(p);
          vector::populateVectorTransposeLoweringPatterns(
              p, vector::VectorTransposeLowering::EltWise);
          // No memref alias folding here: folding an expand_shape of a
          // rank-0 buffer into a vector.load makes an invalid load.
        },
    };
    for (auto step : steps)
      apply(step);
  }
};

} // namespace
