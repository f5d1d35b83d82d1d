// The sinter-to-linalg pass: every sinter op becomes linalg/tensor/arith/math on tensors.
#include "Patterns.h"

#include "conversion/Passes.h"
#include "sinter/Dialect/SinterDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::sinter {

#define GEN_PASS_DEF_SINTERTOLINALG
#include "conversion/Passes.h.inc"

namespace {

struct SinterToLinalg : impl::SinterToLinalgBase<SinterToLinalg> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<SinterDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect,
                           func::FuncDialect>();
    // Unsigned elements reach arith through these (see toSignless).
    target.addLegalOp<UnrealizedConversionCastOp>();

    RewritePatternSet patterns(ctx);
    populateElementwisePatterns(patterns);
    populateArithmeticPatterns(patterns);
    populateCastPatterns(patterns);
    populateBitCastPatterns(patterns);
    populateLinearPatterns(patterns);
    populateLogicPatterns(patterns);
    populatePoolPatterns(patterns);
    populateNormPatterns(patterns);
    populateReducePatterns(patterns);
    populateShapePatterns(patterns);
    populateIndexingPatterns(patterns);
    populateVisionPatterns(patterns);
    populateNarrowCastPatterns(patterns);

    // Partial conversion leaves non-sinter ops alone; a sinter op that no
    // pattern lowers is reported by name ("failed to legalize operation").
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::sinter
