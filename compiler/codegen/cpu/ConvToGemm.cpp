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

//===----------------------------------------------------------------------===//
// sinter-conv-gather: the gather's copies on buffers.
//===----------------------------------------------------------------------===//

namespace mlir::sinter {
#define GEN_PASS_DEF_CONVGATHER
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

namespace {

/// A static-shape f32 memref whose innermost dimension is contiguous.
bool isRowContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !memref.hasStaticShape() || !memref.getElementType().isF32() ||
      memref.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(memref.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// Whether a copy writes a buffer onto itself: bufferizing the gather's
/// insert_slice into the slice its transpose already wrote leaves a copy
/// between two identical views of col.
bool isSelfCopy(Value source, Value target) {
  if (source == target)
    return true;
  auto from = source.getDefiningOp<memref::SubViewOp>();
  auto to = target.getDefiningOp<memref::SubViewOp>();
  return from && to && from.getSource() == to.getSource() &&
         from.getType() == to.getType() &&
         from.getStaticOffsets() == to.getStaticOffsets() &&
         from.getStaticSizes() == to.getStaticSizes() &&
         from.getStaticStrides() == to.getStaticStrides() &&
         from.getOffsets().empty() && to.getOffsets().empty() &&
         from.getSizes().empty() && to.getSizes().empty() &&
         from.getStrides().empty() && to.getStrides().empty();
}

/// Input strides whose rows the gather reads as one wide load and a shuffle.
constexpr int64_t kMaxGatherStride = 4;

/// A transpose (or copy) from a strided view of a contiguous buffer: the
/// taps of a strided conv's gather.
struct StridedGather {
  linalg::TransposeOp op;
  memref::SubViewOp view;
  int64_t stride;
};

std::optional<StridedGather> matchGather(linalg::TransposeOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  ArrayRef<int64_t> permutation = op.getPermutation();
  auto view = op.getInput().getDefiningOp<memref::SubViewOp>();
  if (!view || permutation.back() != (int64_t)permutation.size() - 1 ||
      !isRowContiguous(view.getSource().getType()) ||
      !isRowContiguous(op.getInit().getType()) ||
      view.getSourceType().getRank() != view.getType().getRank() ||
      !view.getOffsets().empty() || !view.getStrides().empty())
    return std::nullopt;
  int64_t stride = view.getStaticStrides().back();
  if (stride < 2 || stride > kMaxGatherStride)
    return std::nullopt;
  return StridedGather{op, view, stride};
}

/// Emits `gather` as loops over the output's outer dimensions (the outermost
/// one `sinter.parallel`) around vector rows: each row of `lanes` outputs is
/// a load of stride x lanes contiguous inputs and one shuffle that keeps
/// every stride-th lane. Loads that would pass the end of the source's row,
/// and the row's last partial vector, are masked.
void emitGather(OpBuilder &b, StridedGather gather, int64_t lanes) {
  Location loc = gather.op.getLoc();
  Value source = gather.view.getSource();
  Value out = gather.op.getInit();
  ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
  ArrayRef<int64_t> permutation = gather.op.getPermutation();
  ArrayRef<int64_t> offsets = gather.view.getStaticOffsets();
  ArrayRef<int64_t> strides = gather.view.getStaticStrides();
  int64_t rank = shape.size(), s = gather.stride;
  int64_t rowLength = cast<MemRefType>(source.getType()).getShape().back();
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };

  SmallVector<Value> outer;
  for (int64_t d = 0; d + 1 < rank; ++d) {
    auto loop = scf::ForOp::create(b, loc, index(0), index(shape[d]), index(1));
    if (d == 0)
      loop->setAttr("sinter.parallel", b.getUnitAttr());
    b.setInsertionPoint(loop.getBody()->getTerminator());
    outer.push_back(loop.getInductionVar());
  }
  // Source indices of the row: input dim permutation[d] is output dim d.
  SmallVector<Value> at(rank);
  for (int64_t d = 0; d + 1 < rank; ++d) {
    int64_t in = permutation[d];
    Value scaled = strides[in] == 1
                       ? outer[d]
                       : arith::MulIOp::create(b, loc, outer[d],
                                               index(strides[in]));
    at[in] = offsets[in] ? arith::AddIOp::create(b, loc, scaled,
                                                 index(offsets[in]))
                         : scaled;
  }
  int64_t width = shape.back(), first = offsets.back();
  auto wideType = VectorType::get({s * lanes}, b.getF32Type());
  SmallVector<int64_t> picks;
  for (int64_t i = 0; i < lanes; ++i)
    picks.push_back(i * s);
  auto maskOf = [&](int64_t size, int64_t count) -> Value {
    return vector::ConstantMaskOp::create(
        b, loc, VectorType::get({size}, b.getI1Type()),
        b.getDenseI64ArrayAttr({count}));
  };
  auto zeros = [&](VectorType type) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0)));
  };
  // One vector of outputs from column `col` (static: `known` >= 0, with
  // `count` lanes).
  auto row = [&](Value col, int64_t known, int64_t count) {
    SmallVector<Value> from(at);
    from.back() =
        arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, col, index(s)),
                              index(first));
    SmallVector<Value> to(outer);
    to.push_back(col);
    // One element is a scalar copy: LLVM's DAG combiner can loop forever on
    // a one-lane masked load feeding a shuffle.
    if (count == 1) {
      Value element = memref::LoadOp::create(b, loc, source, from);
      memref::StoreOp::create(b, loc, element, out, to);
      return;
    }
    Value loaded;
    int64_t needed = (count - 1) * s + 1;
    if (known < 0 || first + known * s + s * lanes <= rowLength)
      loaded = vector::LoadOp::create(b, loc, wideType, source, from);
    else
      loaded = vector::MaskedLoadOp::create(b, loc, wideType, source, from,
                                            maskOf(s * lanes, needed),
                                            zeros(wideType));
    Value picked = vector::ShuffleOp::create(b, loc, loaded, loaded,
                                             b.getDenseI64ArrayAttr(picks));
    if (count == lanes)
      vector::StoreOp::create(b, loc, picked, out, to);
    else
      vector::MaskedStoreOp::create(b, loc, out, to, maskOf(lanes, count),
                                    picked);
  };
  // Full vectors whose wide load stays in the source row go through a loop.
  int64_t full = width / lanes, looped = full;
  while (looped > 0 && first + (looped - 1) * lanes * s + s * lanes > rowLength)
    --looped;
  if (looped > 0) {
    auto loop = scf::ForOp::create(b, loc, index(0), index(looped * lanes),
                                   index(lanes));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    row(loop.getInductionVar(), -1, lanes);
  }
  for (int64_t v = looped; v * lanes < width; ++v)
    row(index(v * lanes), v * lanes, std::min(lanes, width - v * lanes));
}

struct ConvGather : mlir::sinter::impl::ConvGatherBase<ConvGather> {
  using ConvGatherBase::ConvGatherBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<Operation *> selfCopies;
    func.walk([&](Operation *op) {
      if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        if (isSelfCopy(copy.getSource(), copy.getTarget()))
          selfCopies.push_back(op);
      } else if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
        if (copy.hasPureBufferSemantics() &&
            isSelfCopy(copy.getDpsInputOperand(0)->get(),
                       copy.getDpsInitOperand(0)->get()))
          selfCopies.push_back(op);
      }
    });
    for (Operation *op : selfCopies)
      op->erase();

    int64_t lanes = std::clamp<int64_t>(vectorBits, 128, 256) / 32;
    SmallVector<StridedGather> gathers;
    func.walk([&](linalg::TransposeOp op) {
      if (std::optional<StridedGather> gather = matchGather(op))
        gathers.push_back(*gather);
    });
    OpBuilder b(&getContext());
    for (StridedGather &gather : gathers) {
      b.setInsertionPoint(gather.op);
      emitGather(b, gather, lanes);
      gather.op.erase();
    }
  }
};

} // namespace
