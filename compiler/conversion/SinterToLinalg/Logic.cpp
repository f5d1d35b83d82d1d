// Lowering of comparisons and selection to broadcasting linalg.generic ops.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

/// The arith predicate of `name` for one element type: floats compare ordered
/// (false against NaN) except `ne`, which is true against NaN as in ONNX;
/// unsigned integers and i1 (0 and 1) compare unsigned, signless ones signed.
std::optional<arith::CmpFPredicate> floatPredicate(StringRef name) {
  return llvm::StringSwitch<std::optional<arith::CmpFPredicate>>(name)
      .Case("eq", arith::CmpFPredicate::OEQ)
      .Case("ne", arith::CmpFPredicate::UNE)
      .Case("lt", arith::CmpFPredicate::OLT)
      .Case("le", arith::CmpFPredicate::OLE)
      .Case("gt", arith::CmpFPredicate::OGT)
      .Case("ge", arith::CmpFPredicate::OGE)
      .Default(std::nullopt);
}

std::optional<arith::CmpIPredicate> intPredicate(StringRef name, bool isUnsigned) {
  using P = arith::CmpIPredicate;
  return llvm::StringSwitch<std::optional<P>>(name)
      .Case("eq", P::eq)
      .Case("ne", P::ne)
      .Case("lt", isUnsigned ? P::ult : P::slt)
      .Case("le", isUnsigned ? P::ule : P::sle)
      .Case("gt", isUnsigned ? P::ugt : P::sgt)
      .Case("ge", isUnsigned ? P::uge : P::sge)
      .Default(std::nullopt);
}

struct CompareLowering : OpConversionPattern<CompareOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CompareOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type element = cast<RankedTensorType>(op.getLhs().getType()).getElementType();
    bool isFloat = isa<FloatType>(element);
    auto fp = floatPredicate(op.getPredicate());
    auto ip = intPredicate(op.getPredicate(), element.isInteger(1) ||
                                                  element.isUnsignedInteger());
    if (!fp || !ip)
      return op.emitError("unknown comparison predicate '")
             << op.getPredicate() << "'";
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return arith::CmpFOp::create(b, loc, *fp, args[0], args[1]);
          return arith::CmpIOp::create(b, loc, *ip, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectLowering : OpConversionPattern<SelectOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = buildArithElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        ValueRange{adaptor.getCondition(), adaptor.getTrueValue(),
                   adaptor.getFalseValue()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateLogicPatterns(RewritePatternSet &patterns) {
  patterns.add<CompareLowering, SelectLowering>(patterns.getContext());
}
