// Lowers the vision ops: grid_sample and roi_align to linalg.generic with clamped tensor.extract reads, det to scf.for loops over a working copy.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers; `f` is a float constant of the computation's type.
//===----------------------------------------------------------------------===//

struct Scalars {
  OpBuilder &b;
  Location loc;
  Type type; // the float type computed in

  Value f(double v) { return scalarConstant(b, loc, type, v); }
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value floor(Value x) { return math::FloorOp::create(b, loc, x); }
  Value abs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  /// x clamped to [lo, hi]; NaN becomes `lo` (minnum/maxnum drop NaNs), so
  /// what comes out is always safe to turn into an integer.
  Value clamp(Value x, double lo, double hi) {
    return arith::MinNumFOp::create(
        b, loc, arith::MaxNumFOp::create(b, loc, x, f(lo)), f(hi));
  }
  /// A float holding an integer in range, as `index`.
  Value toIndex(Value x) {
    Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  }
  Value fromIndex(Value i) {
    Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
    return arith::SIToFPOp::create(b, loc, type, wide);
  }
  Value extract(Value tensor, ArrayRef<Value> at) {
    return convertFloat(b, loc, tensor::ExtractOp::create(b, loc, tensor, at),
                        type);
  }
};

//===----------------------------------------------------------------------===//
// grid_sample
//===----------------------------------------------------------------------===//

/// One spatial dimension of a grid_sample: where a tap reads and whether
/// (for zeros padding) it reads anything.
struct GridAxis {
  int64_t size;
  double lo, hi; // the borders reflection mirrors at
};

/// `x` mirrored at `lo` and `hi` until it lies between them.
Value reflect(Scalars &s, Value x, double lo, double hi) {
  double range = hi - lo;
  if (range <= 0)
    return s.f(lo);
  // dx: the distance beyond the nearer border; n: whole ranges in it.
  Value below = s.cmp(arith::CmpFPredicate::OLT, x, s.f(lo));
  Value above = s.cmp(arith::CmpFPredicate::OGT, x, s.f(hi));
  Value dx = s.select(below, s.sub(s.f(lo), x), s.sub(x, s.f(hi)));
  Value n = s.floor(s.div(dx, s.f(range)));
  Value r = s.sub(dx, s.mul(n, s.f(range)));
  Value half = s.floor(s.mul(n, s.f(0.5)));
  Value even = s.cmp(arith::CmpFPredicate::OEQ, s.mul(half, s.f(2)), n);
  Value fromLo = s.add(s.f(lo), r), fromHi = s.sub(s.f(hi), r);
  Value belowResult = s.select(even, fromLo, fromHi);
  Value aboveResult = s.select(even, fromHi, fromLo);
  return s.select(below, belowResult, s.select(above, aboveResult, x));
}

/// The index a tap at integer position `i` (a float) reads, and whether it
/// reads inside the image (always true except with zeros padding).
std::pair<Value, Value> tapIndex(Scalars &s, Value i, const GridAxis &axis,
                                 StringRef padding) {
  double last = static_cast<double>(axis.size - 1);
  Value inside = arith::ConstantIntOp::create(s.b, s.loc, 1, 1);
  if (padding == "zeros") {
    inside = arith::AndIOp::create(
        s.b, s.loc, s.cmp(arith::CmpFPredicate::OGE, i, s.f(0)),
        s.cmp(arith::CmpFPredicate::OLE, i, s.f(last)));
  } else if (padding == "reflection") {
    // Truncated toward zero, as the reference does.
    Value r = reflect(s, i, axis.lo, axis.hi);
    i = s.select(s.cmp(arith::CmpFPredicate::OLT, r, s.f(0)),
                 math::CeilOp::create(s.b, s.loc, r), s.floor(r));
  }
  return {s.toIndex(s.clamp(i, 0, last)), inside};
}

/// The 1, 2 or 4 taps of one axis around coordinate `x`: float positions and
/// weights.
void axisTaps(Scalars &s, Value x, StringRef mode,
              SmallVectorImpl<Value> &positions,
              SmallVectorImpl<Value> &weights) {
  if (mode == "nearest") {
    positions.push_back(x); // already rounded
    weights.push_back(s.f(1));
    return;
  }
  Value base = s.floor(x);
  Value t = s.sub(x, base);
  if (mode == "linear") {
    positions.append({base, s.add(base, s.f(1))});
    weights.append({s.sub(s.f(1), t), t});
    return;
  }
  // Keys' cubic kernel with a = -0.75 at distances 1 + t, t, 1 - t, 2 - t.
  const double a = -0.75;
  auto nearW = [&](Value d) { // |d| <= 1
    Value p = s.sub(s.mul(s.f(a + 2), d), s.f(a + 3));
    return s.add(s.mul(s.mul(p, d), d), s.f(1));
  };
  auto farW = [&](Value d) { // 1 < |d| < 2
    Value p = s.sub(s.mul(s.f(a), d), s.f(5 * a));
    p = s.add(s.mul(p, d), s.f(8 * a));
    return s.sub(s.mul(p, d), s.f(4 * a));
  };
  for (int k = -1; k <= 2; ++k)
    positions.push_back(s.add(base, s.f(k)));
  weights.append({farW(s.add(t, s.f(1))), nearW(t), nearW(s.sub(s.f(1), t)),
                  farW(s.sub(s.f(2), t))});
}

struct GridSampleLowering : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), grid = adaptor.getGrid();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = inputType.getElementType();
    Type compute = accumulatorType(element);
    int64_t spatial = inputType.getRank() - 2;
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    bool alignCorners = op.getAlignCorners();
    SmallVector<GridAxis> axes;
    for (int64_t d = 0; d < spatial; ++d) {
      int64_t size = inputType.getDimSize(d + 2);
      axes.push_back(alignCorners
                         ? GridAxis{size, 0.0, static_cast<double>(size - 1)}
                         : GridAxis{size, -0.5, size - 0.5});
    }
    unsigned rank = resultType.getRank();
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, {}, emptyTensor(rewriter, loc, resultType),
        identity, iteratorTypes(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          Scalars s{b, l, compute};
          SmallVector<Value> out;
          for (unsigned d = 0; d < rank; ++d)
            out.push_back(linalg::IndexOp::create(b, l, d));
          // Per axis: the taps' positions (floats) and weights.
          SmallVector<SmallVector<Value>> positions(spatial), weights(spatial);
          for (int64_t d = 0; d < spatial; ++d) {
            const GridAxis &axis = axes[d];
            SmallVector<Value> at{out[0]};
            at.append(out.begin() + 2, out.end());
            // The grid lists x (the innermost axis) first.
            at.push_back(s.index(spatial - 1 - d));
            Value g = s.extract(grid, at);
            double size = static_cast<double>(axis.size);
            Value x = alignCorners
                          ? s.mul(s.mul(s.add(g, s.f(1)), s.f(0.5)),
                                  s.f(size - 1))
                          : s.mul(s.sub(s.mul(s.add(g, s.f(1)), s.f(size)),
                                        s.f(1)),
                                  s.f(0.5));
            // Far outside, every tap reads an edge or nothing; keep the
            // arithmetic in a range that converts to integers. Reflection
            // is periodic instead, and its result lies inside anyway (NaN
            // is caught when taps become indices).
            if (padding != "reflection")
              x = s.clamp(x, -2 * size - 8, 2 * size + 8);
            if (mode == "nearest")
              x = math::RoundEvenOp::create(b, l, x);
            Value outside =
                arith::OrIOp::create(b, l,
                                     s.cmp(arith::CmpFPredicate::OLT, x,
                                           s.f(axis.lo)),
                                     s.cmp(arith::CmpFPredicate::OGT, x,
                                           s.f(axis.hi)));
            if (padding == "border")
              x = s.select(outside, s.clamp(x, 0, size - 1), x);
            else if (padding == "reflection")
              x = s.select(outside, reflect(s, x, axis.lo, axis.hi), x);
            axisTaps(s, x, mode, positions[d], weights[d]);
          }
          // Every combination of one tap per axis.
          size_t taps = positions[0].size();
          size_t combinations = 1;
          for (int64_t d = 0; d < spatial; ++d)
            combinations *= taps;
          SmallVector<SmallVector<std::pair<Value, Value>>> reads(spatial);
          for (int64_t d = 0; d < spatial; ++d)
            for (Value p : positions[d])
              reads[d].push_back(tapIndex(s, p, axes[d], padding));
          Value sum = s.f(0);
          for (size_t c = 0; c < combinations; ++c) {
            SmallVector<Value> at{out[0], out[1]};
            Value weight, inside;
            size_t rest = c;
            for (int64_t d = spatial - 1; d >= 0; --d) {
              size_t k = rest % taps;
              rest /= taps;
              auto [index, ok] = reads[d][k];
              at.insert(at.begin() + 2, index);
              weight = weight ? s.mul(weight, weights[d][k]) : weights[d][k];
              inside = inside ? arith::AndIOp::create(b, l, inside, ok) : ok;
            }
            Value term = s.mul(weight, s.extract(input, at));
            if (padding == "zeros")
              term = s.select(inside, term, s.f(0));
            sum = s.add(sum, term);
          }
          return SmallVector<Value>{convertFloat(b, l, sum, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// roi_align
//===----------------------------------------------------------------------===//

/// For every output element a loop over the bin's samples; the sample count
/// depends on the box when sampling_ratio is 0, so it is computed in the body.
struct RoiAlignLowering : OpConversionPattern<RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), rois = adaptor.getRois();
    Value batchIndices = adaptor.getBatchIndices();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = inputType.getElementType();
    Type compute = accumulatorType(element);
    int64_t batches = inputType.getDimSize(0);
    int64_t height = inputType.getDimSize(2), width = inputType.getDimSize(3);
    int64_t outH = op.getOutputHeight(), outW = op.getOutputWidth();
    int64_t ratio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble();
    bool halfPixel = op.getHalfPixel();
    bool isMax = op.getMode() == "max";
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(4, rewriter.getContext());
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, {}, emptyTensor(rewriter, loc, resultType),
        identity, iteratorTypes(4),
        [&](OpBuilder &b, Location l, ValueRange) {
          Scalars s{b, l, compute};
          Value r = linalg::IndexOp::create(b, l, 0);
          Value c = linalg::IndexOp::create(b, l, 1);
          Value ph = s.fromIndex(linalg::IndexOp::create(b, l, 2));
          Value pw = s.fromIndex(linalg::IndexOp::create(b, l, 3));
          Value rawBatch = tensor::ExtractOp::create(b, l, batchIndices, r);
          Value batch = arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                   rawBatch);
          batch = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, batch, s.index(0)),
              s.index(batches - 1));
          auto corner = [&](int64_t k) {
            Value v = s.extract(rois, {r, s.index(k)});
            v = s.mul(v, s.f(scale));
            return halfPixel ? s.sub(v, s.f(0.5)) : v;
          };
          Value x1 = corner(0), y1 = corner(1), x2 = corner(2), y2 = corner(3);
          Value roiW = s.sub(x2, x1), roiH = s.sub(y2, y1);
          if (!halfPixel) {
            roiW = arith::MaximumFOp::create(b, l, roiW, s.f(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, s.f(1));
          }
          Value binH = s.div(roiH, s.f(outH)), binW = s.div(roiW, s.f(outW));
          // Samples per bin side; an adaptive count is capped so a huge box
          // cannot make the loop run for ever.
          auto count = [&](Value bin) -> Value {
            if (ratio > 0)
              return s.index(ratio);
            Value n = math::CeilOp::create(b, l, bin);
            return s.toIndex(s.clamp(n, 0, 1 << 16));
          };
          Value gridH = count(binH), gridW = count(binW);
          Value gridHf = s.fromIndex(gridH), gridWf = s.fromIndex(gridW);
          Value startY = s.add(y1, s.mul(ph, binH));
          Value startX = s.add(x1, s.mul(pw, binW));
          Value stepY = s.div(binH, gridHf), stepX = s.div(binW, gridWf);
          Value init = isMax ? lowestValue(b, l, compute) : s.f(0);
          Value zero = s.index(0), one = s.index(1);
          auto rows = scf::ForOp::create(
              b, l, zero, gridH, one, ValueRange{init},
              [&](OpBuilder &b, Location l, Value iy, ValueRange accY) {
                Scalars s{b, l, compute};
                Value y = s.add(startY, s.mul(s.add(s.fromIndex(iy), s.f(0.5)),
                                              stepY));
                auto cols = scf::ForOp::create(
                    b, l, zero, gridW, one, accY,
                    [&](OpBuilder &b, Location l, Value ix, ValueRange acc) {
                      Scalars s{b, l, compute};
                      Value x = s.add(
                          startX,
                          s.mul(s.add(s.fromIndex(ix), s.f(0.5)), stepX));
                      Value sample = bilinear(s, input, batch, c, y, x,
                                              height, width, isMax);
                      Value next = isMax ? Value(arith::MaximumFOp::create(
                                               b, l, acc[0], sample))
                                         : s.add(acc[0], sample);
                      scf::YieldOp::create(b, l, next);
                    });
                scf::YieldOp::create(b, l, cols.getResult(0));
              });
          Value total = rows.getResult(0);
          Value samples = arith::MulIOp::create(b, l, gridH, gridW);
          Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                             samples, s.index(0));
          if (isMax) {
            total = s.select(none, s.f(0), total);
          } else {
            Value n = s.fromIndex(
                arith::MaxSIOp::create(b, l, samples, s.index(1)));
            total = s.div(total, n);
          }
          return SmallVector<Value>{convertFloat(b, l, total, element)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// One bilinear sample at (y, x) of input[batch, c]: 0 more than a pixel
  /// outside the image, edge pixels repeated up to there. For max pooling
  /// the sample is the largest of the four weighted corners (what the
  /// reference and onnxruntime compute).
  static Value bilinear(Scalars &s, Value input, Value batch, Value c, Value y,
                        Value x, int64_t height, int64_t width, bool isMax) {
    OpBuilder &b = s.b;
    Location l = s.loc;
    Value outside = arith::OrIOp::create(
        b, l,
        arith::OrIOp::create(
            b, l, s.cmp(arith::CmpFPredicate::ULT, y, s.f(-1)),
            s.cmp(arith::CmpFPredicate::UGT, y, s.f(height))),
        arith::OrIOp::create(
            b, l, s.cmp(arith::CmpFPredicate::ULT, x, s.f(-1)),
            s.cmp(arith::CmpFPredicate::UGT, x, s.f(width))));
    auto axis = [&](Value v, int64_t size) {
      v = s.clamp(v, 0, size); // NaN was caught by `outside` already
      Value low = s.floor(v);
      Value atEdge = s.cmp(arith::CmpFPredicate::OGE, low, s.f(size - 1));
      low = s.select(atEdge, s.f(size - 1), low);
      v = s.select(atEdge, low, v);
      Value high = s.select(atEdge, low, s.add(low, s.f(1)));
      Value frac = s.sub(v, low);
      return std::make_tuple(s.toIndex(low), s.toIndex(high), frac);
    };
    auto [yLow, yHigh, ly] = axis(y, height);
    auto [xLow, xHigh, lx] = axis(x, width);
    Value hy = s.sub(s.f(1), ly), hx = s.sub(s.f(1), lx);
    Value terms[4] = {
        s.mul(s.mul(hy, hx), s.extract(input, {batch, c, yLow, xLow})),
        s.mul(s.mul(hy, lx), s.extract(input, {batch, c, yLow, xHigh})),
        s.mul(s.mul(ly, hx), s.extract(input, {batch, c, yHigh, xLow})),
        s.mul(s.mul(ly, lx), s.extract(input, {batch, c, yHigh, xHigh}))};
    Value sample = terms[0];
    for (int k = 1; k < 4; ++k)
      sample = isMax ? Value(arith::MaximumFOp::create(b, l, sample, terms[k]))
                     : s.add(sample, terms[k]);
    return s.select(outside, s.f(0), sample);
  }
};

//===----------------------------------------------------------------------===//
// det
//===----------------------------------------------------------------------===//

/// Gaussian elimination with partial pivoting on a working copy of all
/// matrices ([B, M, M]); the determinant is the signed product of the pivots.
/// A zero pivot column makes the determinant 0 without dividing by it.
struct DetLowering : OpConversionPattern<DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = inputType.getElementType();
    Type compute = accumulatorType(element);
    int64_t m = inputType.getDimSize(inputType.getRank() - 1);
    int64_t batch = resultType.getNumElements();
    auto workType = RankedTensorType::get({batch, m, m}, compute);
    auto detType = RankedTensorType::get({batch}, compute);
    Value work = convertTensor(
        rewriter, loc,
        reshapeTo(rewriter, loc, adaptor.getInput(),
                  RankedTensorType::get({batch, m, m}, element)),
        compute);
    Scalars top{rewriter, loc, compute};
    Value zero = top.index(0), one = top.index(1), size = top.index(m);
    Value dets = emptyTensor(rewriter, loc, detType);
    auto batches = scf::ForOp::create(
        rewriter, loc, zero, top.index(batch), one, ValueRange{work, dets},
        [&](OpBuilder &b, Location l, Value bi, ValueRange state) {
          Scalars s{b, l, compute};
          auto at = [&](Value t, Value i, Value j) {
            return tensor::ExtractOp::create(b, l, t, ValueRange{bi, i, j})
                .getResult();
          };
          auto steps = scf::ForOp::create(
              b, l, zero, size, one, ValueRange{state[0], s.f(1)},
              [&](OpBuilder &b, Location l, Value k, ValueRange cur) {
                Scalars s{b, l, compute};
                Value w = cur[0];
                // The pivot: the largest magnitude in column k from row k.
                Value kNext = arith::AddIOp::create(b, l, k, one);
                auto search = scf::ForOp::create(
                    b, l, kNext, size, one, ValueRange{k, s.abs(at(w, k, k))},
                    [&](OpBuilder &b, Location l, Value i, ValueRange best) {
                      Scalars s{b, l, compute};
                      Value v = s.abs(tensor::ExtractOp::create(
                          b, l, w, ValueRange{bi, i, k}));
                      Value better =
                          s.cmp(arith::CmpFPredicate::OGT, v, best[1]);
                      scf::YieldOp::create(
                          b, l,
                          ValueRange{s.select(better, i, best[0]),
                                     s.select(better, v, best[1])});
                    });
                Value p = search.getResult(0);
                // Swap rows k and p (a no-op when equal).
                auto swap = scf::ForOp::create(
                    b, l, zero, size, one, ValueRange{w},
                    [&](OpBuilder &b, Location l, Value j, ValueRange t) {
                      Value rowK = tensor::ExtractOp::create(
                          b, l, t[0], ValueRange{bi, k, j});
                      Value rowP = tensor::ExtractOp::create(
                          b, l, t[0], ValueRange{bi, p, j});
                      Value u = tensor::InsertOp::create(
                          b, l, rowP, t[0], ValueRange{bi, k, j});
                      u = tensor::InsertOp::create(b, l, rowK, u,
                                                   ValueRange{bi, p, j});
                      scf::YieldOp::create(b, l, u);
                    });
                w = swap.getResult(0);
                Value swapped = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::ne, p, k);
                Value pivot = at(w, k, k);
                Value signedPivot =
                    s.select(swapped, arith::NegFOp::create(b, l, pivot),
                             pivot);
                Value det = s.mul(cur[1], signedPivot);
                Value singular = s.cmp(arith::CmpFPredicate::OEQ, pivot,
                                       s.f(0));
                Value safePivot = s.select(singular, s.f(1), pivot);
                // Eliminate below the pivot.
                auto rowsBelow = scf::ForOp::create(
                    b, l, kNext, size, one, ValueRange{w},
                    [&](OpBuilder &b, Location l, Value i, ValueRange t) {
                      Scalars s{b, l, compute};
                      Value factor = s.div(
                          tensor::ExtractOp::create(b, l, t[0],
                                                    ValueRange{bi, i, k}),
                          safePivot);
                      auto cols = scf::ForOp::create(
                          b, l, kNext, size, one, ValueRange{t[0]},
                          [&](OpBuilder &b, Location l, Value j,
                              ValueRange u) {
                            Scalars s{b, l, compute};
                            Value pivotRow = tensor::ExtractOp::create(
                                b, l, u[0], ValueRange{bi, k, j});
                            Value x = tensor::ExtractOp::create(
                                b, l, u[0], ValueRange{bi, i, j});
                            Value y = s.sub(x, s.mul(factor, pivotRow));
                            scf::YieldOp::create(
                                b, l,
                                tensor::InsertOp::create(
                                    b, l, y, u[0], ValueRange{bi, i, j})
                                    .getResult());
                          });
                      scf::YieldOp::create(b, l, cols.getResult(0));
                    });
                scf::YieldOp::create(b, l,
                                     ValueRange{rowsBelow.getResult(0), det});
              });
          Value out = tensor::InsertOp::create(b, l, steps.getResult(1),
                                               state[1], ValueRange{bi});
          scf::YieldOp::create(b, l, ValueRange{steps.getResult(0), out});
        });
    Value result = convertTensor(rewriter, loc, batches.getResult(1), element);
    result = reshapeTo(rewriter, loc, result, resultType);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateVisionPatterns(RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering, RoiAlignLowering, DetLowering>(
      patterns.getContext());
}
