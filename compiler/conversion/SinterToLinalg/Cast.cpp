// Lowers sinter.cast to an elementwise linalg.generic with ONNX Cast semantics for every pair of carried element types.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Type from = op.getInput().getType().getElementType();
    Type to = resultType.getElementType();
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return castElement(b, loc, args[0], from, to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateCastPatterns(RewritePatternSet &patterns) {
  patterns.add<CastLowering>(patterns.getContext());
}
