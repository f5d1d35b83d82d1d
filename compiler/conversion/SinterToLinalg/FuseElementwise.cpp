// sinter-fuse-elementwise: linalg elementwise and reshape fusion that keeps named kernels named.
#include "conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sinter {

#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "conversion/Passes.h.inc"

namespace {

/// A named contraction or convolution (pooling included): the ops that the
/// codegen turns into GEMM and conv kernels by name.
bool isNamedKernel(Operation *op) {
  return op && isa<linalg::ContractionOpInterface,
                   linalg::ConvolutionOpInterface>(op);
}

/// Fuse when the producer has no other user (so nothing is computed twice)
/// and neither side is a named kernel. The same function guards elementwise
/// fusion, whose consumer is always a generic and whose producer must be an
/// elementwise generic, so there it only adds the one-use rule.
bool shouldFuse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  return producer && producer->hasOneUse() && !isNamedKernel(producer) &&
         !isNamedKernel(fused->getOwner());
}

struct FuseElementwise : impl::FuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, shouldFuse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, shouldFuse);
    // Top-down, as upstream does, for compile time on large graphs.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                GreedyRewriteConfig().setUseTopDownTraversal());
  }
};

} // namespace
} // namespace mlir::sinter
