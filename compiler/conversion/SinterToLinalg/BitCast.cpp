// Lowers sinter.bitcast to an elementwise arith.bitcast (i1, stored as a byte, through extui/cmpi).
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

/// The signless type arith computes `type` in.
Type signlessOf(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return IntegerType::get(type.getContext(), intType.getWidth());
  return type;
}

struct BitCastLowering : OpConversionPattern<BitCastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BitCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Type to = signlessOf(resultType.getElementType());
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          // A bool is the byte 0 or 1; a byte read as bool is true unless 0.
          if (x.getType().isInteger(1))
            x = arith::ExtUIOp::create(b, loc, b.getI8Type(), x);
          if (to.isInteger(1))
            return arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ne, x,
                arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0)));
          if (x.getType() == to)
            return x;
          return arith::BitcastOp::create(b, loc, to, x);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateBitCastPatterns(RewritePatternSet &patterns) {
  patterns.add<BitCastLowering>(patterns.getContext());
}
