// sinter-conv-to-gemm: convolutions as an im2col gather and one linalg.matmul.
#include "codegen/cpu/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_CONVTOGEMM
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

int64_t product(ArrayRef<int64_t> sizes) {
  int64_t result = 1;
  for (int64_t size : sizes)
    result *= size;
  return result;
}

/// Reassociation of consecutive dims into groups of the given sizes.
SmallVector<ReassociationIndices> groups(ArrayRef<int64_t> sizes) {
  SmallVector<ReassociationIndices> result;
  int64_t dim = 0;
  for (int64_t size : sizes) {
    ReassociationIndices group;
    for (int64_t i = 0; i < size; ++i)
      group.push_back(dim++);
    result.push_back(group);
  }
  return result;
}

Value collapse(OpBuilder &b, Location loc, Value value,
               ArrayRef<int64_t> groupSizes) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> reassociation = groups(groupSizes);
  SmallVector<int64_t> shape;
  for (const ReassociationIndices &group : reassociation) {
    int64_t size = 1;
    for (int64_t dim : group)
      size *= type.getDimSize(dim);
    shape.push_back(size);
  }
  if (shape == SmallVector<int64_t>(type.getShape()))
    return value;
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      reassociation);
}

Value expand(OpBuilder &b, Location loc, Value value, RankedTensorType type,
             ArrayRef<int64_t> groupSizes) {
  if (value.getType() == type)
    return value;
  return tensor::ExpandShapeOp::create(b, loc, type, value, groups(groupSizes));
}

Value transpose(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t dim : permutation)
    shape.push_back(type.getDimSize(dim));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, init, permutation)
      .getResult()[0];
}

/// The strides and dilations of a named NC(spatial) x FC(kernel) conv.
struct ConvGeometry {
  SmallVector<int64_t> strides, dilations;
};

std::optional<ConvGeometry> geometry(linalg::LinalgOp op) {
  auto get = [&](StringRef name) -> std::optional<SmallVector<int64_t>> {
    auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
    if (!attr)
      return std::nullopt;
    return llvm::to_vector(attr.getValues<int64_t>());
  };
  auto strides = get("strides"), dilations = get("dilations");
  if (!strides || !dilations)
    return std::nullopt;
  return ConvGeometry{*strides, *dilations};
}

/// Kernel taps up to which the gather is one strided copy per tap; past
/// it (large 1-D or 3-D kernels) one generic keeps the IR small.
constexpr int64_t kMaxUnrolledTaps = 64;

/// col[C, K..., N, O...] as one copy per kernel tap k: the view
/// input[:, :, k * dilation + o * stride] moved to col[:, k, :, :] with N and
/// C swapped. Each copy keeps the output width innermost, so with unit
/// stride it is a vector copy after tiling.
Value gatherByTaps(OpBuilder &b, Location loc, Value input, Value col,
                   const ConvGeometry &geo) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto colType = cast<RankedTensorType>(col.getType());
  unsigned spatial = inputType.getRank() - 2;
  int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
  ArrayRef<int64_t> kernel = colType.getShape().slice(1, spatial);
  ArrayRef<int64_t> out = colType.getShape().take_back(spatial);
  SmallVector<int64_t> permutation = {1, 0};
  for (unsigned i = 0; i < spatial; ++i)
    permutation.push_back(2 + i);
  SmallVector<int64_t> tap(spatial, 0);
  for (int64_t index = 0, taps = product(kernel); index < taps; ++index) {
    for (int64_t i = spatial - 1, rest = index; i >= 0; --i) {
      tap[i] = rest % kernel[i];
      rest /= kernel[i];
    }
    SmallVector<OpFoldResult> readOffsets = {b.getIndexAttr(0), b.getIndexAttr(0)},
                              readSizes = {b.getIndexAttr(n), b.getIndexAttr(c)},
                              readStrides = {b.getIndexAttr(1), b.getIndexAttr(1)};
    SmallVector<OpFoldResult> colOffsets = {b.getIndexAttr(0)},
                              colSizes = {b.getIndexAttr(c)};
    for (unsigned i = 0; i < spatial; ++i) {
      readOffsets.push_back(b.getIndexAttr(tap[i] * geo.dilations[i]));
      readSizes.push_back(b.getIndexAttr(out[i]));
      readStrides.push_back(b.getIndexAttr(geo.strides[i]));
      colOffsets.push_back(b.getIndexAttr(tap[i]));
      colSizes.push_back(b.getIndexAttr(1));
    }
    colOffsets.push_back(b.getIndexAttr(0));
    colSizes.push_back(b.getIndexAttr(n));
    for (unsigned i = 0; i < spatial; ++i) {
      colOffsets.push_back(b.getIndexAttr(0));
      colSizes.push_back(b.getIndexAttr(out[i]));
    }
    SmallVector<OpFoldResult> colStrides(colOffsets.size(), b.getIndexAttr(1));
    SmallVector<int64_t> readShape = {n, c}, slotShape = {c, n};
    llvm::append_range(readShape, out);
    llvm::append_range(slotShape, out);
    Type element = colType.getElementType();
    Value window = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(readShape, element), input, readOffsets,
        readSizes, readStrides);
    Value slot = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(slotShape, element), col, colOffsets,
        colSizes, colStrides);
    Value moved =
        linalg::TransposeOp::create(b, loc, window, slot, permutation)
            .getResult()[0];
    col = tensor::InsertSliceOp::create(b, loc, moved, col, colOffsets,
                                        colSizes, colStrides);
  }
  return col;
}

/// col[C, K..., N, O...] as one generic over (c, k..., n, o...), all
/// parallel, reading input[n, c, o * stride + k * dilation].
Value gatherGeneric(OpBuilder &b, Location loc, Value input, Value col,
                    const ConvGeometry &geo) {
  MLIRContext *ctx = b.getContext();
  unsigned spatial = cast<RankedTensorType>(input.getType()).getRank() - 2;
  unsigned numLoops = 2 + 2 * spatial;
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, ctx); };
  SmallVector<AffineExpr> read = {dim(1 + spatial), dim(0)};
  for (unsigned i = 0; i < spatial; ++i)
    read.push_back(dim(2 + spatial + i) * geo.strides[i] +
                   dim(1 + i) * geo.dilations[i]);
  return linalg::GenericOp::create(
             b, loc, TypeRange{col.getType()}, ValueRange{input},
             ValueRange{col},
             ArrayRef<AffineMap>{
                 AffineMap::get(numLoops, 0, read, ctx),
                 AffineMap::getMultiDimIdentityMap(numLoops, ctx)},
             SmallVector<utils::IteratorType>(numLoops,
                                              utils::IteratorType::parallel),
             [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(nested, nestedLoc, args[0]);
             })
      .getResult(0);
}

/// Rewrites `op` (input [N, C, S...], filter [F, C, K...], init [N, F, O...])
/// into an im2col gather col[C, K..., N, O...] and the matmul
/// filter[F, C*K] x col[C*K, N*O] -> [F, N*O]. The row-major [F, C*K] weight
/// is the matmul's A operand as stored, so only the activations move; with
/// one image the product is already in NCHW order and nothing is transposed.
LogicalResult rewrite(RewriterBase &rewriter, linalg::LinalgOp op) {
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto filterType = dyn_cast<RankedTensorType>(filter.getType());
  auto initType = dyn_cast<RankedTensorType>(init.getType());
  if (!inputType || !filterType || !initType || !inputType.hasStaticShape() ||
      !filterType.hasStaticShape() || !initType.hasStaticShape())
    return failure();
  // The named conv converts its operands to the accumulator's type; the
  // matmul would too, but only same-type float GEMMs take the fast path.
  Type element = initType.getElementType();
  if (!isa<FloatType>(element) || inputType.getElementType() != element ||
      filterType.getElementType() != element)
    return failure();
  std::optional<ConvGeometry> geo = geometry(op);
  if (!geo)
    return failure();

  Location loc = op.getLoc();
  unsigned spatial = inputType.getRank() - 2;
  int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(1);
  int64_t f = filterType.getDimSize(0);
  ArrayRef<int64_t> kernel = filterType.getShape().drop_front(2);
  ArrayRef<int64_t> out = initType.getShape().drop_front(2);
  rewriter.setInsertionPoint(op);

  bool pointwise = llvm::all_of(kernel, [](int64_t k) { return k == 1; }) &&
                   llvm::all_of(geo->strides, [](int64_t s) { return s == 1; });
  Value col;
  if (pointwise && n == 1) {
    // A 1x1 stride-1 conv of one image reads its input as [C, S...] already.
    col = collapse(rewriter, loc, input, {2, (int64_t)spatial});
  } else {
    SmallVector<int64_t> colShape = {c};
    llvm::append_range(colShape, kernel);
    colShape.push_back(n);
    llvm::append_range(colShape, out);
    Value empty = tensor::EmptyOp::create(rewriter, loc, colShape, element);
    Value gathered =
        product(kernel) <= kMaxUnrolledTaps
            ? gatherByTaps(rewriter, loc, input, empty, *geo)
            : gatherGeneric(rewriter, loc, input, empty, *geo);
    col = collapse(rewriter, loc, gathered,
                   {1 + (int64_t)spatial, 1 + (int64_t)spatial});
  }
  Value weights = collapse(rewriter, loc, filter, {1, 1 + (int64_t)spatial});

  // The accumulator in [F, N*O] order (the conv may accumulate onto it).
  int64_t rank = spatial;
  Value acc = n == 1 ? collapse(rewriter, loc, init, {2, rank})
                     : collapse(rewriter, loc,
                                transpose(rewriter, loc,
                                          collapse(rewriter, loc, init,
                                                   {1, 1, rank}),
                                          {1, 0, 2}),
                                {1, 2});
  Value gemm = linalg::MatmulOp::create(rewriter, loc, ValueRange{weights, col},
                                        ValueRange{acc})
                   .getResult(0);
  Value result;
  if (n == 1) {
    result = expand(rewriter, loc, gemm, initType, {2, rank});
  } else {
    Value fnp = expand(rewriter, loc, gemm,
                       RankedTensorType::get({f, n, product(out)}, element),
                       {1, 2});
    result = expand(rewriter, loc, transpose(rewriter, loc, fnp, {1, 0, 2}),
                    initType, {1, 1, rank});
  }
  rewriter.replaceOp(op, result);
  return success();
}

struct ConvToGemm : mlir::sinter::impl::ConvToGemmBase<ConvToGemm> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv1DNcwFcwOp, linalg::Conv2DNchwFchwOp,
              linalg::Conv3DNcdhwFcdhwOp>(op) &&
          op.hasPureTensorSemantics())
        convs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // A conv this does not take (dynamic shapes, mixed types) stays as it is.
    for (linalg::LinalgOp op : convs)
      (void)rewrite(rewriter, op);
  }
};

} // namespace
