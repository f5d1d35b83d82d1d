// Lowers matmul (linalg.matmul/batch_matmul or a broadcasting generic) and N-d grouped conv.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

int64_t product(ArrayRef<int64_t> sizes) {
  int64_t result = 1;
  for (int64_t size : sizes)
    result *= size;
  return result;
}

/// `shape` with ones prepended up to `rank`.
SmallVector<int64_t> padLeft(ArrayRef<int64_t> shape, size_t rank) {
  SmallVector<int64_t> padded(rank - shape.size(), 1);
  llvm::append_range(padded, shape);
  return padded;
}

/// acc + x * y for block arguments (x, y, acc), in the accumulator's type.
Value multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  Type acc = args[2].getType();
  Value product =
      arith::MulFOp::create(b, loc, convertFloat(b, loc, args[0], acc),
                            convertFloat(b, loc, args[1], acc));
  return arith::AddFOp::create(b, loc, args[2], product);
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

/// [..., M, K] x [..., K, N] with the batch dims broadcast by indexing maps.
Value broadcastMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                      Value init) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> out = cast<RankedTensorType>(init.getType()).getShape();
  unsigned outRank = out.size(), batchRank = outRank - 2;
  unsigned numLoops = outRank + 1; // the batch dims, m, n, then k
  AffineExpr m = getAffineDimExpr(batchRank, ctx);
  AffineExpr n = getAffineDimExpr(batchRank + 1, ctx);
  AffineExpr k = getAffineDimExpr(outRank, ctx);
  auto operandMap = [&](Value operand, AffineExpr row, AffineExpr col) {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(operand.getType()).getShape();
    AffineMap batch = broadcastMap(ctx, shape.drop_back(2), out.drop_back(2));
    SmallVector<AffineExpr> exprs(batch.getResults());
    exprs.push_back(row);
    exprs.push_back(col);
    return AffineMap::get(numLoops, 0, exprs, ctx);
  };
  SmallVector<int64_t> parallel;
  for (unsigned d = 0; d < outRank; ++d)
    parallel.push_back(d);
  return buildGeneric(
      b, loc, ValueRange{lhs, rhs},
      {operandMap(lhs, m, k), operandMap(rhs, k, n)}, init,
      projectionMap(ctx, numLoops, parallel),
      iteratorTypes(numLoops, {outRank}),
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return SmallVector<Value>{multiplyAccumulate(nested, nestedLoc, args)};
      });
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type element = outType.getElementType();
    ArrayRef<int64_t> out = outType.getShape();
    int64_t m = lhsType.getDimSize(lhsType.getRank() - 2);
    int64_t k = lhsType.getDimSize(lhsType.getRank() - 1);
    int64_t n = rhsType.getDimSize(rhsType.getRank() - 1);
    ArrayRef<int64_t> lhsBatch = lhsType.getShape().drop_back(2);
    ArrayRef<int64_t> rhsBatch = rhsType.getShape().drop_back(2);
    size_t batchRank = out.size() - 2;
    Type acc = accumulatorType(element);
    Value zero = scalarConstant(rewriter, loc, acc, 0.0);
    auto tensorOf = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, element);
    };
    auto initOf = [&](ArrayRef<int64_t> shape) {
      return filledTensor(rewriter, loc, RankedTensorType::get(shape, acc),
                          zero);
    };
    // Named ops promote the operands to the accumulator's type.
    auto finish = [&](Value c) {
      Value result = convertTensor(rewriter, loc, c, element);
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, outType));
      return success();
    };

    // No batch on the right: the left batch folds into M, one 2-D matmul.
    if (product(rhsBatch) == 1) {
      int64_t rows = product(lhsBatch) * m;
      Value a = reshapeTo(rewriter, loc, lhs, tensorOf({rows, k}));
      Value b = reshapeTo(rewriter, loc, rhs, tensorOf({k, n}));
      return finish(linalg::MatmulOp::create(rewriter, loc, ValueRange{a, b},
                                             ValueRange{initOf({rows, n})})
                        .getResult(0));
    }
    // Equal batches: one batch_matmul over the folded batch.
    if (padLeft(lhsBatch, batchRank) == padLeft(rhsBatch, batchRank)) {
      int64_t batch = product(lhsBatch);
      Value a = reshapeTo(rewriter, loc, lhs, tensorOf({batch, m, k}));
      Value b = reshapeTo(rewriter, loc, rhs, tensorOf({batch, k, n}));
      return finish(
          linalg::BatchMatmulOp::create(rewriter, loc, ValueRange{a, b},
                                        ValueRange{initOf({batch, m, n})})
              .getResult(0));
    }
    return finish(broadcastMatmul(rewriter, loc, lhs, rhs, initOf(out)));
  }
};

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

template <typename NamedOp>
Value namedConv(OpBuilder &b, Location loc, Value input, Value filter,
                Value init, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations) {
  return NamedOp::create(b, loc, TypeRange{init.getType()},
                         ValueRange{input, filter}, ValueRange{init},
                         b.getI64TensorAttr(strides),
                         b.getI64TensorAttr(dilations))
      .getResult(0);
}

/// Grouped conv of any spatial rank: input [N, G, C/G, S...], filter
/// [G, F/G, C/G, K...] into init [N, G, F/G, O...].
Value genericGroupedConv(OpBuilder &b, Location loc, Value input, Value filter,
                         Value init, ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  unsigned spatial = strides.size();
  // Loops: n, g, f, o..., then the reductions c, k...
  unsigned numLoops = 4 + 2 * spatial;
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, ctx); };
  unsigned c = 3 + spatial;
  SmallVector<AffineExpr> inputExprs = {dim(0), dim(1), dim(c)};
  SmallVector<AffineExpr> filterExprs = {dim(1), dim(2), dim(c)};
  SmallVector<AffineExpr> outExprs = {dim(0), dim(1), dim(2)};
  for (unsigned i = 0; i < spatial; ++i) {
    AffineExpr o = dim(3 + i), kk = dim(c + 1 + i);
    inputExprs.push_back(o * strides[i] + kk * dilations[i]);
    filterExprs.push_back(kk);
    outExprs.push_back(o);
  }
  SmallVector<int64_t> reduced;
  for (unsigned d = c; d < numLoops; ++d)
    reduced.push_back(d);
  return buildGeneric(
      b, loc, ValueRange{input, filter},
      {AffineMap::get(numLoops, 0, inputExprs, ctx),
       AffineMap::get(numLoops, 0, filterExprs, ctx)},
      init, AffineMap::get(numLoops, 0, outExprs, ctx),
      iteratorTypes(numLoops, reduced),
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return SmallVector<Value>{multiplyAccumulate(nested, nestedLoc, args)};
      });
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), filter = adaptor.getFilter();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type element = outType.getElementType();
    int64_t rank = inputType.getRank(), spatial = rank - 2;
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads();
    int64_t group = op.getGroup();
    int64_t channels = inputType.getDimSize(1);
    int64_t features = filterType.getDimSize(0);

    Value zero = scalarConstant(rewriter, loc, element, 0.0);
    SmallVector<int64_t> low = {0, 0}, high = {0, 0};
    low.append(pads.begin(), pads.begin() + spatial);
    high.append(pads.begin() + spatial, pads.end());
    Value padded = padTensor(rewriter, loc, input, low, high, zero);
    ArrayRef<int64_t> kernel = filterType.getShape().drop_front(2);
    ArrayRef<int64_t> outSpatial = outType.getShape().drop_front(2);
    auto tensorOf = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, element);
    };
    // Named convs promote their operands to the accumulator's type.
    Type acc = accumulatorType(element);
    Value accZero =
        acc == element ? zero : scalarConstant(rewriter, loc, acc, 0.0);
    auto initOf = [&](ArrayRef<int64_t> shape) {
      return filledTensor(rewriter, loc, RankedTensorType::get(shape, acc),
                          accZero);
    };
    auto concat = [](std::initializer_list<int64_t> head,
                     ArrayRef<int64_t> tail) {
      SmallVector<int64_t> shape(head);
      llvm::append_range(shape, tail);
      return shape;
    };

    Value conv;
    Value init =
        group == 1 || (group == channels && group == features && spatial <= 3)
            ? initOf(outType.getShape())
            : Value();
    if (group == 1 && spatial == 1) {
      conv = namedConv<linalg::Conv1DNcwFcwOp>(rewriter, loc, padded, filter,
                                               init, strides, dilations);
    } else if (group == 1 && spatial == 2) {
      conv = namedConv<linalg::Conv2DNchwFchwOp>(rewriter, loc, padded, filter,
                                                 init, strides, dilations);
    } else if (group == 1 && spatial == 3) {
      conv = namedConv<linalg::Conv3DNcdhwFcdhwOp>(
          rewriter, loc, padded, filter, init, strides, dilations);
    } else if (group == channels && group == features && spatial <= 3) {
      // Depthwise, one filter per channel: the filter drops its unit dim.
      Value depthFilter = reshapeTo(rewriter, loc, filter,
                                    tensorOf(concat({channels}, kernel)));
      if (spatial == 1)
        conv = namedConv<linalg::DepthwiseConv1DNcwCwOp>(
            rewriter, loc, padded, depthFilter, init, strides, dilations);
      else if (spatial == 2)
        conv = namedConv<linalg::DepthwiseConv2DNchwChwOp>(
            rewriter, loc, padded, depthFilter, init, strides, dilations);
      else
        conv = namedConv<linalg::DepthwiseConv3DNcdhwCdhwOp>(
            rewriter, loc, padded, depthFilter, init, strides, dilations);
    } else {
      // General groups (and channel multipliers): split the channel dims.
      int64_t n = inputType.getDimSize(0);
      Value groupedInput = splitDim(rewriter, loc, padded, 1, group);
      Value groupedFilter = splitDim(rewriter, loc, filter, 0, group);
      Value groupedInit =
          initOf(concat({n, group, features / group}, outSpatial));
      Value grouped =
          spatial == 2
              ? namedConv<linalg::Conv2DNgchwGfchwOp>(
                    rewriter, loc, groupedInput, groupedFilter, groupedInit,
                    strides, dilations)
              : genericGroupedConv(rewriter, loc, groupedInput, groupedFilter,
                                   groupedInit, strides, dilations);
      conv = mergeDims(rewriter, loc, grouped, 1);
    }

    if (Value bias = adaptor.getBias()) {
      MLIRContext *ctx = rewriter.getContext();
      AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
      conv = buildGeneric(
          rewriter, loc, ValueRange{conv, bias},
          {identity, projectionMap(ctx, rank, {1})},
          emptyTensor(rewriter, loc, outType), identity, iteratorTypes(rank),
          [&](OpBuilder &b, Location nested, ValueRange args) {
            Value sum = arith::AddFOp::create(
                b, nested, args[0], convertFloat(b, nested, args[1], acc));
            return SmallVector<Value>{convertFloat(b, nested, sum, element)};
          });
    } else {
      conv = convertTensor(rewriter, loc, conv, element);
    }
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void mlir::sinter::populateLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, ConvLowering>(patterns.getContext());
}
