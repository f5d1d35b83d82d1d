// sinter-depthwise-conv: NCHW depthwise convolutions as register-blocked vector FMAs.
#include "codegen/cpu/Passes.h"
#include "codegen/cpu/VectorMath.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::sinter {
#define GEN_PASS_DEF_DEPTHWISECONV
#include "codegen/cpu/Passes.h.inc"
} // namespace mlir::sinter

using namespace mlir;

namespace {

/// Vectors per output row in one block, and accumulators a block aims for:
/// with about 16 vector registers, four accumulators leave room for the
/// broadcast weight, the input vectors and a de-interleave.
constexpr int64_t kVectorsPerStrip = 4;
constexpr int64_t kAccumulators = 4;
/// Kernel taps up to which the taps are unrolled; larger kernels stay
/// linalg ops.
constexpr int64_t kMaxTaps = 64;
/// Input strides the de-interleave of a wide load handles.
constexpr int64_t kMaxStride = 4;

/// A static-shape memref whose innermost dimension is contiguous, the only
/// kind `vector.load` reads a row of.
bool isRowContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

/// Whether an op between the conv and what is fused with it may be skipped
/// over: it neither writes memory nor touches `buffer`.
bool isTransparent(Operation *op, Value buffer) {
  if (llvm::is_contained(op->getOperands(), buffer))
    return false;
  if (isMemoryEffectFree(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return effects && effects.hasEffect<MemoryEffects::Allocate>() &&
         !effects.hasEffect<MemoryEffects::Write>() &&
         !effects.hasEffect<MemoryEffects::Free>();
}

/// The elementwise op that reads the conv's result, fused into the kernel:
/// bias, activation, clip, swish. Each input is the conv result, a buffer of the
/// output's shape, a per-channel [C] vector or a rank-0 scalar.
struct Epilogue {
  linalg::GenericOp op;
  enum class Kind { Conv, Full, Channel, Scalar };
  SmallVector<Kind> inputs;
};

/// The zero padding of the conv's input, as bufferization leaves it: a
/// buffer filled with zero and the source copied into its interior.
struct Padding {
  Value source;
  int64_t top, left;
  memref::AllocOp buffer;
  SmallVector<Operation *> ops; // the fill, the interior view, the copy
};

/// A conv this pass takes, with its zero fill and its epilogue.
struct Kernel {
  linalg::DepthwiseConv2DNchwChwOp conv;
  Operation *init = nullptr; // the fill (or copy of a fill) of the output
  Value initValue;            // and the value it writes
  Epilogue epilogue;      // op == nullptr: nothing fused
  memref::AllocOp buffer; // the conv's own buffer, dead once fused
  // What the kernel reads: the conv's input, or the source of its padding,
  // read with the padding's offsets (rows and columns outside are zero).
  std::optional<Padding> padding;
  Value source;
  int64_t top = 0, left = 0;
  bool scratch = false; // results go through a per-channel scratch buffer
  int64_t n, c, h, w, oh, ow, kh, kw, sh, sw, dh, dw;
};

/// The allocation or argument a buffer is a view of.
Value rootOf(Value buffer) {
  while (auto view = buffer.getDefiningOp<ViewLikeOpInterface>())
    buffer = view.getViewSource();
  return buffer;
}

/// Whether `op` or an op nested in it uses a view of `root`. Bufferized
/// code reaches memory only through its operands, so an op that does not
/// may be moved across or skipped when reasoning about `root`.
bool touches(Operation *op, Value root) {
  WalkResult result = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (isa<MemRefType>(operand.getType()) && rootOf(operand) == root)
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// The closest op before `op` in its block that uses a view of `buffer`'s
/// allocation.
Operation *lastUserBefore(Operation *op, Value buffer) {
  Value root = rootOf(buffer);
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode())
    if (touches(prev, root))
      return prev;
  return nullptr;
}

/// The f32 value `op` fills all of `buffer` with, if it is such a fill.
std::optional<Value> fillValue(Operation *op, Value buffer) {
  auto fill = dyn_cast<linalg::FillOp>(op);
  if (!fill || !fill.hasPureBufferSemantics() ||
      fill.getDpsInitOperand(0)->get() != buffer ||
      !fill.getDpsInputOperand(0)->get().getType().isF32())
    return std::nullopt;
  return fill.getDpsInputOperand(0)->get();
}

/// Whether `op` writes zero to every element of `buffer`.
bool isZeroFill(Operation *op, Value buffer) {
  Value value;
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    if (!fill.hasPureBufferSemantics() ||
        fill.getDpsInitOperand(0)->get() != buffer)
      return false;
    value = fill.getDpsInputOperand(0)->get();
  } else if (auto map = dyn_cast<linalg::MapOp>(op)) {
    if (!map.hasPureBufferSemantics() || map.getNumDpsInputs() != 0 ||
        map.getDpsInitOperand(0)->get() != buffer)
      return false;
    value = map.getMapper().front().getTerminator()->getOperand(0);
    if (value.getParentRegion() == &map.getMapper())
      return false;
  } else {
    return false;
  }
  return matchPattern(value, m_PosZeroFloat());
}

/// The padding that fills the conv's input `input`, if nothing else uses
/// that buffer and its source is not written between the copy and the conv.
std::optional<Padding> matchPadding(Operation *conv, Value input) {
  auto alloc = input.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return std::nullopt;
  Operation *fill = nullptr, *copy = nullptr;
  memref::SubViewOp view;
  for (Operation *user : input.getUsers()) {
    if (user == conv || isa<memref::DeallocOp>(user))
      continue;
    if (isZeroFill(user, input) && !fill) {
      fill = user;
      continue;
    }
    auto subview = dyn_cast<memref::SubViewOp>(user);
    if (!subview || view || !subview->hasOneUse())
      return std::nullopt;
    view = subview;
    copy = *subview->getUsers().begin();
  }
  if (!fill || !view)
    return std::nullopt;
  Value source;
  if (auto linalgCopy = dyn_cast<linalg::CopyOp>(copy)) {
    if (linalgCopy.getDpsInitOperand(0)->get() != view.getResult())
      return std::nullopt;
    source = linalgCopy.getDpsInputOperand(0)->get();
  } else if (auto memrefCopy = dyn_cast<memref::CopyOp>(copy)) {
    if (memrefCopy.getTarget() != view.getResult())
      return std::nullopt;
    source = memrefCopy.getSource();
  } else {
    return std::nullopt;
  }
  auto sourceType = cast<MemRefType>(source.getType());
  ArrayRef<int64_t> padded = alloc.getType().getShape();
  if (!isRowContiguous(source) || sourceType.getRank() != 4 ||
      sourceType.getDimSize(0) != padded[0] ||
      sourceType.getDimSize(1) != padded[1] || !view.hasUnitStride() ||
      ShapedType::isDynamicShape(view.getStaticOffsets()) ||
      view.getStaticOffsets()[0] != 0 || view.getStaticOffsets()[1] != 0)
    return std::nullopt;
  Block *block = conv->getBlock();
  if (fill->getBlock() != block || copy->getBlock() != block ||
      !fill->isBeforeInBlock(copy) || !copy->isBeforeInBlock(conv))
    return std::nullopt;
  // The kernel reads the source where the conv was: nothing between may
  // write it, and the conv must not write into it (bufferization reuses a
  // dead input's buffer for the output).
  Value out = cast<linalg::LinalgOp>(conv).getDpsInitOperand(0)->get();
  if (rootOf(source) == rootOf(out))
    return std::nullopt;
  for (Operation *op = copy->getNextNode(); op != conv; op = op->getNextNode())
    if (touches(op, rootOf(source)))
      return std::nullopt;
  return Padding{source, view.getStaticOffsets()[2], view.getStaticOffsets()[3],
                 alloc, {fill, view, copy}};
}

/// The generic that reads only the conv result (with the identity map) and
/// broadcasts of other buffers, computing arith ops, in a form the kernel can
/// apply to its accumulators.
std::optional<Epilogue> matchEpilogue(linalg::GenericOp op, Value convOut) {
  auto outType = cast<MemRefType>(convOut.getType());
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 4 ||
      op.getNumParallelLoops() != op.getNumLoops())
    return std::nullopt;
  Value out = op.getDpsInitOperand(0)->get();
  if (!isRowContiguous(out) ||
      cast<MemRefType>(out.getType()).getShape() != outType.getShape() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineMap channel = AffineMap::get(4, 0, {getAffineDimExpr(1, ctx)}, ctx);
  Epilogue epilogue{op, {}};
  int convReads = 0;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type)
      return std::nullopt;
    if (input->get() == convOut && map.isIdentity()) {
      epilogue.inputs.push_back(Epilogue::Kind::Conv);
      ++convReads;
    } else if (input->get() == convOut) {
      return std::nullopt;
    } else if (map.isIdentity() && isRowContiguous(input->get())) {
      epilogue.inputs.push_back(Epilogue::Kind::Full);
    } else if (map == channel && type.hasStaticShape()) {
      epilogue.inputs.push_back(Epilogue::Kind::Channel);
    } else if (map.getNumResults() == 0 && type.getRank() == 0) {
      epilogue.inputs.push_back(Epilogue::Kind::Scalar);
    } else {
      return std::nullopt;
    }
  }
  if (convReads != 1)
    return std::nullopt;
  Block &body = op.getRegion().front();
  // The output's old value is overwritten, never read.
  if (!body.getArguments().back().use_empty())
    return std::nullopt;
  for (Operation &inner : body.without_terminator()) {
    // Math ops only where the vector form is no libm call per lane: the
    // polynomials of sinter-lower-vectors, or an LLVM vector intrinsic.
    bool vectorMath =
        mlir::sinter::hasVectorApproximation(&inner) ||
        isa<math::SqrtOp, math::AbsFOp, math::FmaOp, math::FloorOp,
            math::CeilOp, math::RoundEvenOp, math::TruncOp,
            math::CopySignOp>(inner);
    if ((!isa_and_nonnull<arith::ArithDialect>(inner.getDialect()) &&
         !vectorMath) ||
        inner.getNumRegions() != 0 || inner.getNumResults() != 1 ||
        !inner.getResult(0).getType().isIntOrFloat())
      return std::nullopt;
    if (!isa<arith::ConstantOp>(inner) &&
        !inner.hasTrait<OpTrait::Elementwise>())
      return std::nullopt;
  }
  if (!body.getTerminator()->getOperand(0).getType().isF32())
    return std::nullopt;
  return epilogue;
}

/// Whether `op` can become a kernel, and what is fused with it.
std::optional<Kernel> match(linalg::DepthwiseConv2DNchwChwOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  Value out = op.getDpsInitOperand(0)->get();
  auto filterType = dyn_cast<MemRefType>(filter.getType());
  if (!isRowContiguous(input) || !isRowContiguous(out) || !filterType ||
      !filterType.hasStaticShape() || !filterType.getElementType().isF32())
    return std::nullopt;
  auto strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
  ArrayRef<int64_t> res = cast<MemRefType>(out.getType()).getShape();
  Kernel k;
  k.conv = op;
  k.n = res[0], k.c = res[1], k.oh = res[2], k.ow = res[3];
  k.kh = filterType.getDimSize(1), k.kw = filterType.getDimSize(2);
  k.sh = strides[0], k.sw = strides[1], k.dh = dilations[0],
  k.dw = dilations[1];
  if (k.kh * k.kw > kMaxTaps || k.sw > kMaxStride || k.oh == 0 || k.ow == 0)
    return std::nullopt;

  // What the accumulator starts from: the closest earlier op that uses the
  // output's buffer, a fill or a copy of a filled buffer (bufferization
  // copies a zero tensor that several convs share).
  if (Operation *prev = lastUserBefore(op, out)) {
    if (std::optional<Value> value = fillValue(prev, out)) {
      k.init = prev, k.initValue = *value;
    } else if (auto copy = dyn_cast<memref::CopyOp>(prev);
               copy && copy.getTarget() == out) {
      Value from = copy.getSource();
      if (Operation *filled = lastUserBefore(copy, from))
        if (std::optional<Value> value = fillValue(filled, from))
          k.init = prev, k.initValue = *value;
    }
  }
  // Reading the padding's source directly saves a copy of the input.
  k.padding = matchPadding(op, input);
  k.source = k.padding ? k.padding->source : input;
  if (k.padding)
    k.top = k.padding->top, k.left = k.padding->left;
  ArrayRef<int64_t> in = cast<MemRefType>(k.source.getType()).getShape();
  k.h = in[2], k.w = in[3];

  // The epilogue: the next user of the buffer, with nothing between that
  // writes memory, and the conv result dead after it (overwritten in place,
  // or a buffer of its own that nothing else reads).
  for (Operation *next = op->getNextNode(); next; next = next->getNextNode()) {
    if (isTransparent(next, out))
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(next);
    if (!generic)
      break;
    std::optional<Epilogue> epilogue = matchEpilogue(generic, out);
    if (!epilogue)
      break;
    auto alloc = out.getDefiningOp<memref::AllocOp>();
    bool inPlace = generic.getDpsInitOperand(0)->get() == out;
    bool ownBuffer =
        alloc && llvm::all_of(out.getUsers(), [&](Operation *user) {
          return user == op || user == generic ||
                 user == k.init || isa<memref::DeallocOp>(user);
        });
    // The epilogue's result must not overwrite what the kernel still reads.
    // Bufferization often gives it the buffer of the padding's source, dead
    // once copied: then each channel's results wait in a scratch buffer
    // until the channel is done, as the channel reads its own input only.
    Value result = generic.getDpsInitOperand(0)->get();
    if (k.padding && rootOf(result) == rootOf(k.source)) {
      if (result != k.source)
        break;
      k.scratch = true;
    }
    if (llvm::any_of(generic.getDpsInputs(), [&](Value in) {
          return in != out && rootOf(in) == rootOf(k.source) && k.padding;
        }))
      break;
    if (inPlace || ownBuffer) {
      k.epilogue = *epilogue;
      if (!inPlace)
        k.buffer = alloc;
    }
    break;
  }
  return k;
}

/// Emits the kernel of `k` at the builder's insertion point.
class Emitter {
public:
  Emitter(OpBuilder &b, Kernel k, int64_t lanes)
      : b(b), k(k), loc(k.conv.getLoc()), lanes(lanes),
        vec(VectorType::get({lanes}, b.getF32Type())) {
    source = k.source;
    filter = k.conv.getDpsInputOperand(1)->get();
    convOut = k.conv.getDpsInitOperand(0)->get();
    result = k.epilogue.op ? k.epilogue.op.getDpsInitOperand(0)->get() : convOut;
  }

  void emit() {
    // One loop over images x channels, whose iterations are independent:
    // with batch 1 the channels are what threads share.
    auto loop = scf::ForOp::create(b, loc, index(0), index(k.n * k.c), index(1));
    loop->setAttr("sinter.parallel", b.getUnitAttr());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value iv = loop.getInductionVar();
    image = arith::DivUIOp::create(b, loc, iv, index(k.c));
    channel = arith::RemUIOp::create(b, loc, iv, index(k.c));
    prepareEpilogue();
    if (k.scratch) {
      // Stack memory, one channel's worth, released every iteration.
      auto scope = memref::AllocaScopeOp::create(b, loc, TypeRange{});
      Block *body = new Block();
      scope.getBodyRegion().push_back(body);
      b.setInsertionPointToStart(body);
      auto done = memref::AllocaScopeReturnOp::create(b, loc);
      b.setInsertionPoint(done);
      scratch = memref::AllocaOp::create(
          b, loc, MemRefType::get({k.oh, k.ow}, b.getF32Type()),
          b.getI64IntegerAttr(32));
    }

    // Output segments of one row: full vectors, then a partial one. The full
    // ones whose (possibly de-interleaved) loads stay inside the input row
    // at every tap go through a loop of strips; the rest (at the padded
    // edges and the row's end) are unrolled with static offsets and masks.
    int64_t full = k.ow / lanes, partial = k.ow % lanes;
    int64_t perRow = full + (partial ? 1 : 0);
    auto inside = [&](int64_t col) {
      return col * k.sw - k.left >= 0 &&
             col * k.sw + (k.kw - 1) * k.dw - k.left + k.sw * lanes <= k.w;
    };
    int64_t firstLooped = 0;
    while (firstLooped < full && !inside(firstLooped * lanes))
      ++firstLooped;
    int64_t endLooped = firstLooped;
    while (endLooped < full && inside(endLooped * lanes))
      ++endLooped;
    int64_t strips = (endLooped - firstLooped) / kVectorsPerStrip;
    endLooped = firstLooped + strips * kVectorsPerStrip;
    auto staticSegments = [&](int64_t from, int64_t to) {
      SmallVector<SmallVector<Segment>> chunks;
      for (int64_t first = from; first < to; first += kVectorsPerStrip) {
        SmallVector<Segment> &chunk = chunks.emplace_back();
        for (int64_t s = first; s < std::min(to, first + kVectorsPerStrip); ++s)
          chunk.push_back({index(s * lanes), s * lanes, s < full ? lanes : partial});
      }
      return chunks;
    };
    SmallVector<SmallVector<Segment>> before = staticSegments(0, firstLooped);
    SmallVector<SmallVector<Segment>> after = staticSegments(endLooped, perRow);
    auto rowBlocks = [&](ArrayRef<Row> rows) {
      for (ArrayRef<Segment> chunk : before)
        block(rows, chunk);
      if (strips) {
        auto stripFor = scf::ForOp::create(
            b, loc, index(firstLooped * lanes), index(endLooped * lanes),
            index(kVectorsPerStrip * lanes));
        OpBuilder::InsertionGuard stripGuard(b);
        b.setInsertionPoint(stripFor.getBody()->getTerminator());
        SmallVector<Segment> segments;
        for (int64_t u = 0; u < kVectorsPerStrip; ++u)
          segments.push_back(
              {add(stripFor.getInductionVar(), u * lanes), -1, lanes});
        block(rows, segments);
      }
      for (ArrayRef<Segment> chunk : after)
        block(rows, chunk);
    };

    // Rows whose taps all fall inside the input go through loops; those at
    // the padded top and bottom are unrolled, their outside taps skipped.
    int64_t firstInside = llvm::divideCeil(k.top, k.sh);
    int64_t endInside =
        k.h - 1 + k.top - (k.kh - 1) * k.dh < 0
            ? 0
            : (k.h - 1 + k.top - (k.kh - 1) * k.dh) / k.sh + 1;
    firstInside = std::min(firstInside, k.oh);
    endInside = std::clamp(endInside, firstInside, k.oh);
    for (int64_t row = 0; row < firstInside; ++row)
      rowBlocks(Row{index(row), row});
    // Narrow rows (a few vectors) take several rows per block.
    int64_t perBlock =
        strips ? 1
               : std::max<int64_t>(1, kAccumulators / std::max<int64_t>(
                                          1, perRow));
    int64_t insideRows = endInside - firstInside;
    perBlock = std::max<int64_t>(1, std::min(perBlock, insideRows));
    int64_t endBlocked = firstInside + insideRows - insideRows % perBlock;
    auto rowLoop = [&](int64_t from, int64_t to, int64_t step) {
      if (from >= to)
        return;
      auto rowsFor =
          scf::ForOp::create(b, loc, index(from), index(to), index(step));
      OpBuilder::InsertionGuard rowGuard(b);
      b.setInsertionPoint(rowsFor.getBody()->getTerminator());
      SmallVector<Row> rows;
      for (int64_t r = 0; r < step; ++r)
        rows.push_back({add(rowsFor.getInductionVar(), r), -1});
      rowBlocks(rows);
    };
    rowLoop(firstInside, endBlocked, perBlock);
    rowLoop(endBlocked, endInside, 1);
    for (int64_t row = endInside; row < k.oh; ++row)
      rowBlocks(Row{index(row), row});
    if (scratch)
      copyScratch(perRow, full, partial);
  }

private:
  /// `count` outputs of a row from column `col` (static: `staticCol` >= 0).
  struct Segment {
    Value col;
    int64_t staticCol, count;
  };
  /// An output row (static: `staticRow` >= 0).
  struct Row {
    Value row;
    int64_t staticRow;
  };

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  // Static offsets fold here, so that the unrolled taps stay readable.
  Value add(Value value, int64_t offset) {
    if (std::optional<int64_t> known = getConstantIntValue(value))
      return index(*known + offset);
    return offset ? arith::AddIOp::create(b, loc, value, index(offset))
                  : value;
  }
  Value mul(Value value, int64_t factor) {
    if (std::optional<int64_t> known = getConstantIntValue(value))
      return index(*known * factor);
    return factor == 1 ? value
                       : arith::MulIOp::create(b, loc, value, index(factor));
  }
  Value mask(int64_t size, int64_t count) {
    return vector::ConstantMaskOp::create(
        b, loc, VectorType::get({size}, b.getI1Type()),
        b.getDenseI64ArrayAttr({count}));
  }
  Value zeros(VectorType type) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getZeroAttr(type.getElementType())));
  }

  /// A vector of `segment` of row `row` of `buffer` (an output-shaped buffer),
  /// masked past the segment's end.
  Value loadOutput(Value buffer, Value row, const Segment &segment) {
    SmallVector<Value> at = {image, channel, row, segment.col};
    if (segment.count == lanes)
      return vector::LoadOp::create(b, loc, vec, buffer, at);
    return vector::MaskedLoadOp::create(b, loc, vec, buffer, at,
                                        mask(lanes, segment.count), zeros(vec));
  }

  /// The inputs that output columns `segment` of input row `inRow` multiply
  /// at kernel column `tap`: one contiguous load of stride x lanes elements,
  /// de-interleaved by a shuffle when the stride is not 1. A static segment
  /// loads only columns inside the row (masked past its end) and shuffles
  /// zeros into the lanes of padding columns.
  Value loadInput(Value inRow, const Segment &segment, int64_t tap) {
    int64_t wide = k.sw * lanes;
    auto wideType = VectorType::get({wide}, b.getF32Type());
    SmallVector<int64_t> picks;
    if (segment.staticCol < 0) {
      Value col = add(mul(segment.col, k.sw), tap * k.dw - k.left);
      Value loaded = vector::LoadOp::create(b, loc, wideType, source,
                                            ValueRange{image, channel, inRow, col});
      if (k.sw == 1)
        return loaded;
      for (int64_t i = 0; i < lanes; ++i)
        picks.push_back(i * k.sw);
      return vector::ShuffleOp::create(b, loc, loaded, loaded,
                                       b.getDenseI64ArrayAttr(picks));
    }
    // Input column of each lane, and the lanes whose column is inside.
    int64_t start = segment.staticCol * k.sw + tap * k.dw - k.left;
    int64_t first = -1, last = -1;
    for (int64_t i = 0; i < segment.count; ++i) {
      int64_t col = start + i * k.sw;
      if (col < 0 || col >= k.w)
        continue;
      if (first < 0)
        first = col;
      last = col;
    }
    if (first < 0)
      return zeros(vec);
    Value at = index(first);
    int64_t count = std::min(wide, last - first + 1);
    Value loaded =
        first + wide <= k.w
            ? vector::LoadOp::create(b, loc, wideType, source,
                                     ValueRange{image, channel, inRow, at})
                  .getResult()
            : vector::MaskedLoadOp::create(
                  b, loc, wideType, source, ValueRange{image, channel, inRow, at},
                  mask(wide, count), zeros(wideType))
                  .getResult();
    // Lane i takes column start + i * stride: element (column - first) of
    // the load, or lane 0 of the zero vector outside the row.
    bool identity = wide == lanes;
    for (int64_t i = 0; i < lanes; ++i) {
      int64_t col = start + i * k.sw;
      bool in = i < segment.count && col >= first && col <= last;
      picks.push_back(in ? col - first : wide);
      identity &= in ? col - first == i : i >= segment.count;
    }
    if (identity)
      return loaded;
    return vector::ShuffleOp::create(b, loc, loaded, zeros(wideType),
                                     b.getDenseI64ArrayAttr(picks));
  }

  /// Stores one vector of results: into the result, or the scratch buffer.
  void store(Value value, Value row, const Segment &segment,
             bool viaScratch) {
    Value target = viaScratch ? scratch : result;
    SmallVector<Value> at = {row, segment.col};
    if (!viaScratch)
      at.insert(at.begin(), {image, channel});
    if (segment.count == lanes)
      vector::StoreOp::create(b, loc, value, target, at);
    else
      vector::MaskedStoreOp::create(b, loc, target, at,
                                    mask(lanes, segment.count), value);
  }

  /// Moves the channel's results from the scratch buffer to the result.
  void copyScratch(int64_t perRow, int64_t full, int64_t partial) {
    auto rows = scf::ForOp::create(b, loc, index(0), index(k.oh), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(rows.getBody()->getTerminator());
    Value row = rows.getInductionVar();
    for (int64_t s = 0; s < perRow; ++s) {
      Segment segment{index(s * lanes), s * lanes, s < full ? lanes : partial};
      SmallVector<Value> at = {row, segment.col};
      Value value =
          segment.count == lanes
              ? vector::LoadOp::create(b, loc, vec, scratch, at).getResult()
              : vector::MaskedLoadOp::create(b, loc, vec, scratch, at,
                                             mask(lanes, segment.count),
                                             zeros(vec))
                    .getResult();
      store(value, row, segment, /*viaScratch=*/false);
    }
  }

  /// Per-channel and scalar operands of the epilogue, broadcast once per
  /// channel.
  void prepareEpilogue() {
    if (!k.epilogue.op)
      return;
    for (auto [kind, operand] : llvm::zip(k.epilogue.inputs,
                                          k.epilogue.op.getDpsInputOperands())) {
      Value value;
      if (kind == Epilogue::Kind::Channel)
        value = memref::LoadOp::create(b, loc, operand->get(), ValueRange{channel});
      else if (kind == Epilogue::Kind::Scalar)
        value = memref::LoadOp::create(b, loc, operand->get(), ValueRange{});
      broadcasts.push_back(value ? broadcast(value) : Value());
    }
  }

  Value broadcast(Value scalar) {
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({lanes}, scalar.getType()), scalar);
  }

  /// The epilogue's body on one accumulator vector.
  Value applyEpilogue(Value acc, Value row, const Segment &segment) {
    linalg::GenericOp op = k.epilogue.op;
    Block &body = op.getRegion().front();
    IRMapping map;
    for (auto [i, kind] : llvm::enumerate(k.epilogue.inputs)) {
      Value arg = body.getArgument(i);
      if (kind == Epilogue::Kind::Conv)
        map.map(arg, acc);
      else if (kind == Epilogue::Kind::Full)
        map.map(arg, loadOutput(op.getDpsInputOperand(i)->get(), row, segment));
      else
        map.map(arg, broadcasts[i]);
    }
    // Scalars from above the body are the same in every lane.
    auto lookup = [&](Value value) {
      if (!map.contains(value))
        map.map(value, broadcast(value));
      return map.lookup(value);
    };
    for (Operation &inner : body.without_terminator()) {
      if (isa<arith::ConstantOp>(inner)) {
        map.map(inner.getResult(0), broadcast(b.clone(inner)->getResult(0)));
        continue;
      }
      for (Value operand : inner.getOperands())
        (void)lookup(operand);
      Operation *lanesOp = b.clone(inner, map);
      lanesOp->getResult(0).setType(
          VectorType::get({lanes}, inner.getResult(0).getType()));
    }
    return lookup(body.getTerminator()->getOperand(0));
  }

  /// `rows` by `segments` of outputs: the accumulators stay in registers
  /// across the unrolled kernel taps, then the epilogue and one store each.
  /// Taps of a static row that fall in the padding are skipped.
  void block(ArrayRef<Row> rows, ArrayRef<Segment> segments) {
    SmallVector<Value> acc;
    for (const Row &row : rows)
      for (const Segment &segment : segments)
        acc.push_back(k.init ? broadcast(k.initValue)
                             : loadOutput(convOut, row.row, segment));
    for (int64_t i = 0; i < k.kh; ++i) {
      for (int64_t j = 0; j < k.kw; ++j) {
        Value weight;
        for (auto [r, row] : llvm::enumerate(rows)) {
          int64_t offset = i * k.dh - k.top;
          if (row.staticRow >= 0) {
            int64_t in = row.staticRow * k.sh + offset;
            if (in < 0 || in >= k.h)
              continue;
          }
          if (!weight)
            weight = broadcast(memref::LoadOp::create(
                b, loc, filter, ValueRange{channel, index(i), index(j)}));
          Value inRow = add(mul(row.row, k.sh), offset);
          for (auto [s, segment] : llvm::enumerate(segments)) {
            Value &sum = acc[r * segments.size() + s];
            sum = vector::FMAOp::create(b, loc, loadInput(inRow, segment, j),
                                        weight, sum);
          }
        }
      }
    }
    for (auto [r, row] : llvm::enumerate(rows)) {
      for (auto [s, segment] : llvm::enumerate(segments)) {
        Value value = acc[r * segments.size() + s];
        if (k.epilogue.op)
          value = applyEpilogue(value, row.row, segment);
        store(value, row.row, segment, /*viaScratch=*/bool(scratch));
      }
    }
  }

  OpBuilder &b;
  Kernel k;
  Location loc;
  int64_t lanes;
  VectorType vec;
  Value source, filter, convOut, result, image, channel;
  Value scratch; // the channel's results, when they cannot go to the result
  SmallVector<Value> broadcasts;
};

struct DepthwiseConv
    : mlir::sinter::impl::DepthwiseConvBase<DepthwiseConv> {
  using DepthwiseConvBase::DepthwiseConvBase;

  void runOnOperation() override {
    // Wider vectors than 256 bits would mostly be masked on the 7- and
    // 14-wide feature maps of mobile networks; 8 lanes keep them full.
    int64_t lanes = std::clamp<int64_t>(vectorBits, 128, 256) / 32;
    SmallVector<linalg::DepthwiseConv2DNchwChwOp> convs;
    getOperation().walk(
        [&](linalg::DepthwiseConv2DNchwChwOp op) { convs.push_back(op); });
    OpBuilder b(&getContext());
    for (linalg::DepthwiseConv2DNchwChwOp op : convs) {
      std::optional<Kernel> kernel = match(op);
      if (!kernel)
        continue; // left to the loop lowering
      Operation *last = kernel->epilogue.op ? kernel->epilogue.op.getOperation()
                                            : op.getOperation();
      b.setInsertionPoint(last);
      Emitter(b, *kernel, lanes).emit();
      if (kernel->epilogue.op)
        kernel->epilogue.op.erase();
      op.erase();
      if (kernel->init)
        kernel->init->erase();
      SmallVector<memref::AllocOp> dead;
      if (kernel->buffer)
        dead.push_back(kernel->buffer);
      if (kernel->padding) {
        for (Operation *padOp : llvm::reverse(kernel->padding->ops))
          padOp->erase();
        dead.push_back(kernel->padding->buffer);
      }
      // What is left of a dead buffer is its dealloc.
      for (memref::AllocOp alloc : dead) {
        for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
          user->erase();
        alloc.erase();
      }
    }
  }
};

} // namespace
