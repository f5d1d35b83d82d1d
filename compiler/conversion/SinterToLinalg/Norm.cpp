// Lowers batch_norm, layer_norm and softmax to reductions and elementwise generics.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

/// y = x * a[c] + b[c] with a = scale / sqrt(var + eps), b = bias - mean * a:
/// the per-channel coefficients come first, in a [C]-sized generic.
struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Type compute = accumulatorType(element);
    auto paramType = RankedTensorType::get(
        cast<RankedTensorType>(adaptor.getScale().getType()).getShape(),
        compute);
    double epsilon = op.getEpsilon().convertToDouble();

    AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, ctx);
    auto coefficients = linalg::GenericOp::create(
        rewriter, loc, TypeRange{paramType, paramType},
        ValueRange{adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                   adaptor.getVariance()},
        ValueRange{emptyTensor(rewriter, loc, paramType),
                   emptyTensor(rewriter, loc, paramType)},
        SmallVector<AffineMap>(6, id1), iteratorTypes(1),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          SmallVector<Value> p;
          for (Value arg : args.take_front(4))
            p.push_back(convertFloat(b, nested, arg, compute));
          Value eps = scalarConstant(b, nested, compute, epsilon);
          Value rstd = math::RsqrtOp::create(
              b, nested, arith::AddFOp::create(b, nested, p[3], eps));
          Value a = arith::MulFOp::create(b, nested, p[0], rstd);
          Value shift = arith::SubFOp::create(
              b, nested, p[1], arith::MulFOp::create(b, nested, p[2], a));
          linalg::YieldOp::create(b, nested, ValueRange{a, shift});
        });

    unsigned rank = type.getRank();
    AffineMap channel = projectionMap(ctx, rank, {1});
    Value result = buildGeneric(
        rewriter, loc,
        ValueRange{adaptor.getInput(), coefficients.getResult(0),
                   coefficients.getResult(1)},
        {AffineMap::getMultiDimIdentityMap(rank, ctx), channel, channel},
        emptyTensor(rewriter, loc, type),
        AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = convertFloat(b, nested, args[0], compute);
          Value scaled = arith::MulFOp::create(b, nested, x, args[1]);
          Value y = arith::AddFOp::create(b, nested, scaled, args[2]);
          return SmallVector<Value>{convertFloat(b, nested, y, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Mean and variance (two passes, for accuracy) over dims axis..rank-1, then
/// (x - mean) * rsqrt(var + eps) * scale (+ bias).
struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Type compute = accumulatorType(element);
    unsigned rank = type.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    SmallVector<int64_t> normalized, outer;
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (d >= axis) {
        normalized.push_back(d);
        count *= type.getDimSize(d);
      } else {
        outer.push_back(d);
      }
    }
    double epsilon = op.getEpsilon().convertToDouble();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap statMap = projectionMap(ctx, rank, outer);
    auto statType =
        RankedTensorType::get(type.getShape().take_front(axis), compute);

    Value zero = scalarConstant(rewriter, loc, compute, 0.0);
    Value sum =
        buildReduction(rewriter, loc, input, normalized, zero,
                       [&](OpBuilder &b, Location l, Value x, Value acc) {
                         return arith::AddFOp::create(
                             b, l, convertFloat(b, l, x, compute), acc);
                       });
    Value mean =
        buildElementwise(rewriter, loc, statType, sum,
                         [&](OpBuilder &b, Location nested, ValueRange args) {
                           Value n = scalarConstant(b, nested, compute,
                                                    static_cast<double>(count));
                           return arith::DivFOp::create(b, nested, args[0], n);
                         });

    Value squares = buildGeneric(
        rewriter, loc, ValueRange{input, mean}, {identity, statMap},
        filledTensor(rewriter, loc, statType, zero), statMap,
        iteratorTypes(rank, normalized),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = convertFloat(b, nested, args[0], compute);
          Value centered = arith::SubFOp::create(b, nested, x, args[1]);
          Value square = arith::MulFOp::create(b, nested, centered, centered);
          return SmallVector<Value>{
              arith::AddFOp::create(b, nested, square, args[2])};
        });
    Value rstd = buildElementwise(
        rewriter, loc, statType, squares,
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value n =
              scalarConstant(b, nested, compute, static_cast<double>(count));
          Value var = arith::DivFOp::create(b, nested, args[0], n);
          Value eps = scalarConstant(b, nested, compute, epsilon);
          return math::RsqrtOp::create(
              b, nested, arith::AddFOp::create(b, nested, var, eps));
        });

    SmallVector<Value> inputs = {input, mean, rstd, adaptor.getScale()};
    if (Value bias = adaptor.getBias())
      inputs.push_back(bias);
    SmallVector<AffineMap> maps = {identity, statMap, statMap};
    for (Value param : ArrayRef<Value>(inputs).drop_front(3))
      maps.push_back(
          broadcastMap(ctx, cast<RankedTensorType>(param.getType()).getShape(),
                       type.getShape()));
    bool hasBias = inputs.size() == 5;
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, emptyTensor(rewriter, loc, type), identity,
        iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = convertFloat(b, nested, args[0], compute);
          Value centered = arith::SubFOp::create(b, nested, x, args[1]);
          Value norm = arith::MulFOp::create(b, nested, centered, args[2]);
          Value y = arith::MulFOp::create(
              b, nested, norm, convertFloat(b, nested, args[3], compute));
          if (hasBias)
            y = arith::AddFOp::create(
                b, nested, y, convertFloat(b, nested, args[4], compute));
          return SmallVector<Value>{convertFloat(b, nested, y, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// max along the axis, then sum of exp(x - max), then exp(x - max) / sum;
/// exp is recomputed rather than stored so no full-size temporary is needed.
struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Type compute = accumulatorType(element);
    unsigned rank = type.getRank();
    int64_t axis = *normalizeAxis(op.getAxis(), rank);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<int64_t> kept = otherDims(rank, {axis});
    AffineMap statMap = projectionMap(ctx, rank, kept);

    // The max is exact in any precision.
    Value max = buildReduction(
        rewriter, loc, input, {axis}, lowestValue(rewriter, loc, element),
        [](OpBuilder &b, Location l, Value x, Value acc) {
          return arithMax(b, l, x, acc);
        });
    auto shifted = [&](OpBuilder &b, Location nested, Value x, Value m) {
      Value d =
          arith::SubFOp::create(b, nested, convertFloat(b, nested, x, compute),
                                convertFloat(b, nested, m, compute));
      return math::ExpOp::create(b, nested, d);
    };
    auto statType = RankedTensorType::get(
        cast<RankedTensorType>(max.getType()).getShape(), compute);
    Value zero = scalarConstant(rewriter, loc, compute, 0.0);
    Value sum =
        buildGeneric(rewriter, loc, ValueRange{input, max}, {identity, statMap},
                     filledTensor(rewriter, loc, statType, zero), statMap,
                     iteratorTypes(rank, {axis}),
                     [&](OpBuilder &b, Location nested, ValueRange args) {
                       Value e = shifted(b, nested, args[0], args[1]);
                       return SmallVector<Value>{
                           arith::AddFOp::create(b, nested, e, args[2])};
                     });
    Value result = buildGeneric(
        rewriter, loc, ValueRange{input, max, sum},
        {identity, statMap, statMap}, emptyTensor(rewriter, loc, type),
        identity, iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value e = shifted(b, nested, args[0], args[1]);
          Value y = arith::DivFOp::create(b, nested, e, args[2]);
          return SmallVector<Value>{convertFloat(b, nested, y, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateNormPatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, LayerNormLowering, SoftmaxLowering>(
      patterns.getContext());
}
