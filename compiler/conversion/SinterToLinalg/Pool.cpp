// Lowers max_pool (and the positions of its maxima), avg_pool (exact per-position divisors) and global_avg_pool.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

/// Window geometry of one pooling op, with the padding made explicit.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, low, high;
};

/// Pads of [N, C, spatial...]: the op's pads, plus on the end whatever a
/// ceil_mode window needs past them, so every window reads inside the tensor.
template <typename OpTy> Window getWindow(OpTy op) {
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t spatial = inputType.getRank() - 2;
  ArrayRef<int64_t> pads = op.getPads();
  Window window;
  window.kernel.assign(op.getKernel().begin(), op.getKernel().end());
  window.strides.assign(op.getStrides().begin(), op.getStrides().end());
  window.dilations.assign(op.getDilations().begin(), op.getDilations().end());
  window.low = {0, 0};
  window.high = {0, 0};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t begin = pads[i], end = pads[i + spatial];
    int64_t needed = (outType.getDimSize(i + 2) - 1) * window.strides[i] +
                     (window.kernel[i] - 1) * window.dilations[i] + 1;
    int64_t have = inputType.getDimSize(i + 2) + begin + end;
    window.low.push_back(begin);
    window.high.push_back(end + std::max<int64_t>(0, needed - have));
  }
  return window;
}

/// Pools `padded` into `init` with `combine`: the named NCW/NCHW op where
/// one exists, a generic with window loops otherwise. Input elements are
/// promoted to `init`'s element type.
template <typename Named1D, typename Named2D>
Value pool(OpBuilder &b, Location loc, Value padded, Value init,
           const Window &window,
           Value (*combine)(OpBuilder &, Location, Value, Value)) {
  size_t spatial = window.kernel.size();
  Type element = cast<RankedTensorType>(padded.getType()).getElementType();
  Type acc = cast<RankedTensorType>(init.getType()).getElementType();
  // Like the named ops, an operand of the window's shape gives the window
  // loops their extent; its values are never read.
  Value shape =
      emptyTensor(b, loc, RankedTensorType::get(window.kernel, element));
  if (spatial == 1 || spatial == 2) {
    auto strides = b.getI64TensorAttr(window.strides);
    auto dilations = b.getI64TensorAttr(window.dilations);
    if (spatial == 1)
      return Named1D::create(b, loc, TypeRange{init.getType()},
                             ValueRange{padded, shape}, ValueRange{init},
                             strides, dilations)
          .getResult(0);
    return Named2D::create(b, loc, TypeRange{init.getType()},
                           ValueRange{padded, shape}, ValueRange{init}, strides,
                           dilations)
        .getResult(0);
  }
  // Loops: n, c, out..., then the window reductions.
  MLIRContext *ctx = b.getContext();
  unsigned numLoops = 2 + 2 * spatial;
  SmallVector<AffineExpr> inputExprs = {getAffineDimExpr(0, ctx),
                                        getAffineDimExpr(1, ctx)};
  SmallVector<int64_t> outDims = {0, 1}, reduced;
  for (size_t i = 0; i < spatial; ++i) {
    AffineExpr o = getAffineDimExpr(2 + i, ctx);
    AffineExpr k = getAffineDimExpr(2 + spatial + i, ctx);
    inputExprs.push_back(o * window.strides[i] + k * window.dilations[i]);
    outDims.push_back(2 + i);
    reduced.push_back(2 + spatial + i);
  }
  return buildGeneric(
      b, loc, ValueRange{padded, shape},
      {AffineMap::get(numLoops, 0, inputExprs, ctx),
       projectionMap(ctx, numLoops, reduced)},
      init, projectionMap(ctx, numLoops, outDims),
      iteratorTypes(numLoops, reduced),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value x = convertFloat(nested, nestedLoc, args[0], acc);
        return SmallVector<Value>{combine(nested, nestedLoc, x, args[2])};
      });
}

struct MaxPoolLowering : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireSignless(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Value lowest = lowestValue(rewriter, loc, outType.getElementType());
    Window window = getWindow(op);
    // Padding reads as -inf, so it never wins.
    Value padded = padTensor(rewriter, loc, adaptor.getInput(), window.low,
                             window.high, lowest);
    Value result = pool<linalg::PoolingNcwMaxOp, linalg::PoolingNchwMaxOp>(
        rewriter, loc, padded, filledTensor(rewriter, loc, outType, lowest),
        window, arithMax);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// One generic with two outputs, the running maximum and its flat index in
/// the input, over loops n, c, out..., window... . Taps in the padding are
/// skipped by position rather than by value, so an input of -inf (or the
/// integer minimum) still gets its index; a later tap wins only when
/// strictly greater, as in ONNX's reference.
struct MaxPoolIndicesLowering : OpConversionPattern<MaxPoolIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(requireSignless(op, op->getOperandTypes())))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type element = inputType.getElementType();
    int64_t spatial = inputType.getRank() - 2;
    ArrayRef<int64_t> pads = op.getPads();
    Window window = getWindow(op);
    Value lowest = lowestValue(rewriter, loc, element);
    Value padded = padTensor(rewriter, loc, adaptor.getInput(), window.low,
                             window.high, lowest);
    Value shape =
        emptyTensor(rewriter, loc, RankedTensorType::get(window.kernel, element));
    Value bestInit = filledTensor(rewriter, loc, outType.clone(element), lowest);
    Value indexInit = filledTensor(
        rewriter, loc, outType,
        scalarConstant(rewriter, loc, rewriter.getI64Type(), -1.0));

    unsigned numLoops = 2 + 2 * spatial;
    SmallVector<AffineExpr> inputExprs = {getAffineDimExpr(0, ctx),
                                          getAffineDimExpr(1, ctx)};
    SmallVector<int64_t> outDims = {0, 1}, reduced;
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = getAffineDimExpr(2 + i, ctx);
      AffineExpr k = getAffineDimExpr(2 + spatial + i, ctx);
      inputExprs.push_back(o * window.strides[i] + k * window.dilations[i]);
      outDims.push_back(2 + i);
      reduced.push_back(2 + spatial + i);
    }
    AffineMap outMap = projectionMap(ctx, numLoops, outDims);
    SmallVector<AffineMap> maps = {
        AffineMap::get(numLoops, 0, inputExprs, ctx),
        projectionMap(ctx, numLoops, reduced), outMap, outMap};
    bool columnMajor = op.getColumnMajor();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{bestInit.getType(), outType},
        ValueRange{padded, shape}, ValueRange{bestInit, indexInit}, maps,
        iteratorTypes(numLoops, reduced),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = args[0], best = args[2], index = args[3];
          auto constant = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, nested, v);
          };
          auto loop = [&](int64_t d) -> Value {
            return linalg::IndexOp::create(b, nested, d);
          };
          // Position of the tap in the unpadded input, dim by dim.
          Value inside = arith::ConstantIntOp::create(b, nested, 1, 1);
          SmallVector<Value> positions;
          for (int64_t i = 0; i < spatial; ++i) {
            Value start = arith::MulIOp::create(
                b, nested, loop(2 + i), constant(window.strides[i]));
            Value offset = arith::MulIOp::create(
                b, nested, loop(2 + spatial + i),
                constant(window.dilations[i]));
            Value position = arith::SubIOp::create(
                b, nested, arith::AddIOp::create(b, nested, start, offset),
                constant(pads[i]));
            Value low = arith::CmpIOp::create(
                b, nested, arith::CmpIPredicate::sge, position, constant(0));
            Value high = arith::CmpIOp::create(
                b, nested, arith::CmpIPredicate::slt, position,
                constant(inputType.getDimSize(2 + i)));
            inside = arith::AndIOp::create(
                b, nested, inside, arith::AndIOp::create(b, nested, low, high));
            positions.push_back(position);
          }
          // Flat index: (n * C + c), then the spatial dims row-major, or
          // column-major (the first spatial dim fastest).
          Value flat = arith::AddIOp::create(
              b, nested,
              arith::MulIOp::create(b, nested, loop(0),
                                    constant(inputType.getDimSize(1))),
              loop(1));
          for (int64_t j = 0; j < spatial; ++j) {
            int64_t i = columnMajor ? spatial - 1 - j : j;
            flat = arith::AddIOp::create(
                b, nested,
                arith::MulIOp::create(b, nested, flat,
                                      constant(inputType.getDimSize(2 + i))),
                positions[i]);
          }
          Value flat64 = arith::IndexCastOp::create(b, nested, b.getI64Type(),
                                                    flat);
          Value greater =
              isa<FloatType>(element)
                  ? Value(arith::CmpFOp::create(
                        b, nested, arith::CmpFPredicate::OGT, x, best))
                  : Value(arith::CmpIOp::create(
                        b, nested,
                        element.isInteger(1) ? arith::CmpIPredicate::ugt
                                             : arith::CmpIPredicate::sgt,
                        x, best));
          Value first = arith::CmpIOp::create(
              b, nested, arith::CmpIPredicate::slt, index,
              arith::ConstantIntOp::create(b, nested, b.getI64Type(), 0));
          Value take = arith::AndIOp::create(
              b, nested, inside,
              arith::OrIOp::create(b, nested, first, greater));
          linalg::YieldOp::create(
              b, nested,
              ValueRange{arith::SelectOp::create(b, nested, take, x, best),
                         arith::SelectOp::create(b, nested, take, flat64,
                                                 index)});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

/// How many taps of each window along one spatial dim fall inside
/// [lo, hi), per output position.
SmallVector<int64_t> tapCounts(int64_t outSize, int64_t stride,
                               int64_t dilation, int64_t kernel, int64_t begin,
                               int64_t lo, int64_t hi) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < outSize; ++o) {
    int64_t count = 0;
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t position = o * stride - begin + k * dilation;
      count += position >= lo && position < hi;
    }
    counts.push_back(count);
  }
  return counts;
}

/// Sum pooling over zero padding, then a division by the number of taps
/// that count: the padded extent with count_include_pad, the input without,
/// never the extra ceil_mode padding. The divisor is a product of per-dim
/// counts; dims where it varies get a small constant vector of counts.
struct AvgPoolLowering : OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type element = outType.getElementType();
    unsigned rank = outType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> pads = op.getPads();
    Window window = getWindow(op);
    Type acc = accumulatorType(element);
    Value zero = scalarConstant(rewriter, loc, element, 0.0);
    Value padded = padTensor(rewriter, loc, adaptor.getInput(), window.low,
                             window.high, zero);
    auto sumType = RankedTensorType::get(outType.getShape(), acc);
    Value sum = pool<linalg::PoolingNcwSumOp, linalg::PoolingNchwSumOp>(
        rewriter, loc, padded,
        filledTensor(rewriter, loc, sumType,
                     acc == element ? zero
                                    : scalarConstant(rewriter, loc, acc, 0.0)),
        window, arithAdd);

    double uniform = 1.0;
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t size = inputType.getDimSize(i + 2);
      int64_t begin = pads[i], end = pads[i + spatial];
      bool include = op.getCountIncludePad();
      SmallVector<int64_t> counts =
          tapCounts(outType.getDimSize(i + 2), window.strides[i],
                    window.dilations[i], window.kernel[i], begin,
                    include ? -begin : 0, include ? size + end : size);
      if (llvm::all_equal(counts)) {
        uniform *= counts.front();
        continue;
      }
      SmallVector<Attribute> values;
      for (int64_t count : counts)
        values.push_back(rewriter.getFloatAttr(acc, count));
      auto countType =
          RankedTensorType::get({static_cast<int64_t>(counts.size())}, acc);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(countType, values)));
      maps.push_back(projectionMap(ctx, rank, {2 + i}));
    }
    Value result = buildGeneric(
        rewriter, loc, inputs, maps, emptyTensor(rewriter, loc, outType),
        AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          ValueRange counts = args.drop_front().drop_back();
          Value divisor = uniform == 1.0 && !counts.empty()
                              ? Value()
                              : scalarConstant(b, nested, acc, uniform);
          for (Value count : counts)
            divisor =
                divisor
                    ? Value(arith::MulFOp::create(b, nested, divisor, count))
                    : count;
          Value mean = arith::DivFOp::create(b, nested, args[0], divisor);
          return SmallVector<Value>{convertFloat(b, nested, mean, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Sum over the spatial dims into [N, C], divided into [N, C, 1, ...].
struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type element = outType.getElementType();
    unsigned rank = inputType.getRank();
    SmallVector<int64_t> spatialDims;
    int64_t count = 1;
    for (unsigned d = 2; d < rank; ++d) {
      spatialDims.push_back(d);
      count *= inputType.getDimSize(d);
    }
    Type acc = accumulatorType(element);
    Value sum = buildReduction(
        rewriter, loc, input, spatialDims,
        scalarConstant(rewriter, loc, acc, 0.0),
        [&](OpBuilder &b, Location nested, Value x, Value sum) {
          return arithAdd(b, nested, convertFloat(b, nested, x, acc), sum);
        });
    Value result = buildGeneric(
        rewriter, loc, sum, projectionMap(ctx, rank, {0, 1}),
        emptyTensor(rewriter, loc, outType),
        AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value n = scalarConstant(b, nested, acc, static_cast<double>(count));
          Value mean = arith::DivFOp::create(b, nested, args[0], n);
          return SmallVector<Value>{convertFloat(b, nested, mean, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populatePoolPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, MaxPoolIndicesLowering, AvgPoolLowering,
               GlobalAvgPoolLowering>(
      patterns.getContext());
}
