// sinter-fold-batchnorm: folds inference BatchNorm and per-channel scales and shifts into the constant weights of the conv or matmul before them.
#include "transforms/ConstantData.h"
#include "transforms/Passes.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <optional>
#include <type_traits>

namespace mlir::sinter {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "transforms/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::fold;

namespace {

/// The constant behind `value` when its element type is a float.
DenseElementsAttr floatConstant(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()) ||
      !isSupportedElement(attr.getElementType()))
    return {};
  return attr;
}

/// The elements of a constant float vector, in f64.
std::optional<SmallVector<double>> readVector(Value value) {
  DenseElementsAttr attr = floatConstant(value);
  if (!attr)
    return std::nullopt;
  ElementReader reader(attr);
  SmallVector<double> values;
  for (int64_t i = 0, e = attr.getNumElements(); i < e; ++i)
    values.push_back(reader.getFloat(i));
  return values;
}

bool allFinite(ArrayRef<double> values) {
  return llvm::all_of(values, [](double v) { return std::isfinite(v); });
}

/// The `channels` values of a constant that, broadcast against a tensor of
/// rank `rank`, varies along dimension `channelDim` only (or not at all).
std::optional<SmallVector<double>>
perChannel(Value value, int64_t rank, int64_t channelDim, int64_t channels) {
  DenseElementsAttr attr = floatConstant(value);
  if (!attr)
    return std::nullopt;
  ArrayRef<int64_t> shape = attr.getType().getShape();
  int64_t lead = rank - static_cast<int64_t>(shape.size());
  if (lead < 0)
    return std::nullopt;
  bool varies = false;
  for (auto [j, size] : llvm::enumerate(shape)) {
    if (static_cast<int64_t>(j) + lead == channelDim && size == channels)
      varies = true;
    else if (size != 1)
      return std::nullopt;
  }
  ElementReader reader(attr);
  SmallVector<double> values;
  for (int64_t c = 0; c < channels; ++c)
    values.push_back(reader.getFloat(varies ? c : 0));
  return values;
}

/// `weight` with every element multiplied by `factors[i]`, `i` its index
/// along `dim`; computed in f64 and rounded once.
DenseElementsAttr scaleAlong(DenseElementsAttr weight, int64_t dim,
                             ArrayRef<double> factors) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t inner = stridesOf(type.getShape())[dim];
  int64_t size = type.getDimSize(dim);
  int64_t outer = numElements(type.getShape().take_front(dim));
  ElementReader reader(weight);
  ElementWriter writer(type);
  int64_t i = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < size; ++c)
      for (int64_t j = 0; j < inner; ++j, ++i)
        writer.setFloat(i, reader.getFloat(i) * factors[c]);
  return writer.finish();
}

Value makeConstant(PatternRewriter &rewriter, Location loc,
                   RankedTensorType type, ArrayRef<double> values) {
  ElementWriter writer(type);
  for (auto [i, value] : llvm::enumerate(values))
    writer.setFloat(i, value);
  return ConstantOp::create(rewriter, loc, writer.finish());
}

/// BatchNorm's per-channel factor `scale / sqrt(var + epsilon)` and shift
/// `bias - mean * factor`, in f64; nullopt unless all four are constant and
/// every factor is finite.
struct Affine {
  SmallVector<double> factor, shift;
};
std::optional<Affine> batchNormAffine(BatchNormOp bn) {
  auto scale = readVector(bn.getScale()), bias = readVector(bn.getBias());
  auto mean = readVector(bn.getMean()), var = readVector(bn.getVariance());
  if (!scale || !bias || !mean || !var)
    return std::nullopt;
  double epsilon = bn.getEpsilon().convertToDouble();
  Affine affine;
  for (size_t c = 0; c < scale->size(); ++c) {
    double factor = (*scale)[c] / std::sqrt((*var)[c] + epsilon);
    affine.factor.push_back(factor);
    affine.shift.push_back((*bias)[c] - (*mean)[c] * factor);
  }
  if (!allFinite(affine.factor) || !allFinite(affine.shift))
    return std::nullopt;
  return affine;
}

/// Replaces `op` (whose input is `conv`, used only by `op`) by `conv` with
/// its filter rows scaled by `factor` and bias `bias * factor + shift` (a
/// missing bias reads as 0). An empty `factor` leaves the filter as it is.
LogicalResult rewriteConv(PatternRewriter &rewriter, Operation *op,
                          ConvOp conv, ArrayRef<double> factor,
                          ArrayRef<double> shift) {
  DenseElementsAttr filter = floatConstant(conv.getFilter());
  if (!filter)
    return rewriter.notifyMatchFailure(op, "the conv filter is not constant");
  int64_t channels = filter.getType().getDimSize(0);
  SmallVector<double> bias(channels, 0.0);
  if (conv.getBias()) {
    std::optional<SmallVector<double>> values = readVector(conv.getBias());
    if (!values)
      return rewriter.notifyMatchFailure(op, "the conv bias is not constant");
    bias = *values;
  }
  for (int64_t c = 0; c < channels; ++c)
    bias[c] = bias[c] * (factor.empty() ? 1.0 : factor[c]) + shift[c];
  Location loc = rewriter.getFusedLoc({conv.getLoc(), op->getLoc()});
  Value newFilter = conv.getFilter();
  if (!factor.empty())
    newFilter =
        ConstantOp::create(rewriter, loc, scaleAlong(filter, 0, factor));
  auto biasType = RankedTensorType::get({channels}, filter.getElementType());
  Value newBias = makeConstant(rewriter, loc, biasType, bias);
  rewriter.replaceOpWithNewOp<ConvOp>(
      op, conv.getType(), conv.getInput(), newFilter, newBias,
      conv.getStridesAttr(), conv.getDilationsAttr(), conv.getPadsAttr(),
      conv.getGroupAttr());
  rewriter.eraseOp(conv);
  return success();
}

/// batch_norm(conv(x, W, b)) -> conv(x, W * s, (b - mean) * s + bias).
struct BatchNormOfConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    std::optional<Affine> affine = batchNormAffine(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn, "parameters not constant");
    return rewriteConv(rewriter, bn, conv, affine->factor, affine->shift);
  }
};

/// mul/div/add/sub of a conv result by a per-output-channel constant.
template <typename OpTy>
struct ChannelAffineOfConv : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value convSide = op.getLhs(), other = op.getRhs();
    constexpr bool commutative = std::is_same_v<OpTy, MulOp> ||
                                 std::is_same_v<OpTy, AddOp>;
    if (commutative && !convSide.getDefiningOp<ConvOp>())
      std::swap(convSide, other);
    auto conv = convSide.getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse() || op.getType() != conv.getType())
      return failure();
    int64_t channels = conv.getType().getDimSize(1);
    std::optional<SmallVector<double>> k =
        perChannel(other, conv.getType().getRank(), 1, channels);
    if (!k || !allFinite(*k))
      return rewriter.notifyMatchFailure(op, "not a per-channel constant");
    SmallVector<double> factor, shift(channels, 0.0);
    if constexpr (std::is_same_v<OpTy, MulOp>) {
      factor = *k;
    } else if constexpr (std::is_same_v<OpTy, DivOp>) {
      if (llvm::is_contained(*k, 0.0))
        return rewriter.notifyMatchFailure(op, "division by zero");
      for (double v : *k)
        factor.push_back(1.0 / v);
    } else if constexpr (std::is_same_v<OpTy, AddOp>) {
      shift = *k;
    } else {
      for (auto [s, v] : llvm::zip(shift, *k))
        s = -v;
    }
    return rewriteConv(rewriter, op, conv, factor, shift);
  }
};

/// batch_norm(matmul(x, W)) and batch_norm(add(matmul(x, W), c)) on an
/// [M, N] product: the columns of W scale, c shifts.
struct BatchNormOfMatMul : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    Value input = bn.getInput();
    AddOp add = input.getDefiningOp<AddOp>();
    Value offset;
    if (add) {
      if (!add->hasOneUse() || add.getType() != bn.getType())
        return failure();
      input = add.getLhs(), offset = add.getRhs();
      if (!input.getDefiningOp<MatMulOp>())
        std::swap(input, offset);
    }
    auto matmul = input.getDefiningOp<MatMulOp>();
    if (!matmul || !matmul->hasOneUse() || matmul.getType().getRank() != 2)
      return failure();
    DenseElementsAttr weight = floatConstant(matmul.getRhs());
    DenseElementsAttr shiftBy = offset ? floatConstant(offset) : nullptr;
    if (!weight || (offset && !shiftBy))
      return rewriter.notifyMatchFailure(bn, "weights not constant");
    std::optional<Affine> affine = batchNormAffine(bn);
    if (!affine)
      return rewriter.notifyMatchFailure(bn, "parameters not constant");
    int64_t columns = matmul.getType().getDimSize(1);

    // c' = c * s + shift, at c's shape broadcast with [N].
    SmallVector<int64_t> cShape = {1};
    if (shiftBy)
      cShape.assign(shiftBy.getType().getShape().begin(),
                    shiftBy.getType().getShape().end());
    SmallVector<int64_t> shape;
    if (!OpTrait::util::getBroadcastedShape(cShape, {columns}, shape))
      return failure();
    SmallVector<double> shifted;
    std::optional<ElementReader> reader;
    if (shiftBy)
      reader.emplace(shiftBy);
    walk(shape, {broadcastStrides(cShape, shape),
                 broadcastStrides({columns}, shape)},
         [&](ArrayRef<int64_t> at) {
           double c = reader ? reader->getFloat(at[0]) : 0.0;
           shifted.push_back(c * affine->factor[at[1]] + affine->shift[at[1]]);
           return true;
         });

    Location loc = rewriter.getFusedLoc({matmul.getLoc(), bn.getLoc()});
    Value newWeight = ConstantOp::create(
        rewriter, loc,
        scaleAlong(weight, weight.getType().getRank() - 1, affine->factor));
    Value product = MatMulOp::create(rewriter, loc, matmul.getType(),
                                     matmul.getLhs(), newWeight);
    Value newShift = makeConstant(
        rewriter, loc, RankedTensorType::get(shape, weight.getElementType()),
        shifted);
    rewriter.replaceOpWithNewOp<AddOp>(bn, bn.getType(), product, newShift);
    if (add)
      rewriter.eraseOp(add);
    rewriter.eraseOp(matmul);
    return success();
  }
};

/// mul/div of a matmul result by a constant that varies along the last
/// dimension only: the last dimension of the constant right operand scales.
template <typename OpTy>
struct ColumnScaleOfMatMul : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value product = op.getLhs(), other = op.getRhs();
    if (std::is_same_v<OpTy, MulOp> && !product.getDefiningOp<MatMulOp>())
      std::swap(product, other);
    auto matmul = product.getDefiningOp<MatMulOp>();
    if (!matmul || !matmul->hasOneUse() || op.getType() != matmul.getType())
      return failure();
    DenseElementsAttr weight = floatConstant(matmul.getRhs());
    if (!weight)
      return rewriter.notifyMatchFailure(op, "the weight is not constant");
    int64_t rank = matmul.getType().getRank();
    int64_t columns = matmul.getType().getDimSize(rank - 1);
    std::optional<SmallVector<double>> k =
        perChannel(other, rank, rank - 1, columns);
    if (!k || !allFinite(*k) ||
        (std::is_same_v<OpTy, DivOp> && llvm::is_contained(*k, 0.0)))
      return rewriter.notifyMatchFailure(op, "not a per-column constant");
    if (std::is_same_v<OpTy, DivOp>)
      for (double &v : *k)
        v = 1.0 / v;
    Location loc = rewriter.getFusedLoc({matmul.getLoc(), op.getLoc()});
    Value newWeight = ConstantOp::create(
        rewriter, loc, scaleAlong(weight, weight.getType().getRank() - 1, *k));
    rewriter.replaceOpWithNewOp<MatMulOp>(op, matmul.getType(),
                                          matmul.getLhs(), newWeight);
    rewriter.eraseOp(matmul);
    return success();
  }
};

struct FoldBatchNormPass
    : mlir::sinter::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    patterns.add<BatchNormOfConv, BatchNormOfMatMul,
                 ChannelAffineOfConv<MulOp>, ChannelAffineOfConv<DivOp>,
                 ChannelAffineOfConv<AddOp>, ChannelAffineOfConv<SubOp>,
                 ColumnScaleOfMatMul<MulOp>, ColumnScaleOfMatMul<DivOp>>(
        context);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};

} // namespace
