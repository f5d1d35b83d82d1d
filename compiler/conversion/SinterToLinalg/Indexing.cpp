// Lowers indexing and selection ops: gathers and position-dependent copies to linalg.generic, scatters, top-k and scans to scf.for loops over tensors.
#include "Patterns.h"

#include "sinter/Dialect/SinterOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::sinter;
using namespace mlir::sinter::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// An i32 or i64 index element as an `index` value.
Value toIndex(OpBuilder &b, Location loc, Value raw) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
}

/// `raw` (index) with a negative value counted from the end of a dimension
/// of `size`, and whether the result lies in [0, size).
std::pair<Value, Value> wrapIndex(OpBuilder &b, Location loc, Value raw,
                                  int64_t size) {
  Value zero = indexConstant(b, loc, 0);
  Value limit = indexConstant(b, loc, size);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, raw, zero);
  Value wrapped = arith::SelectOp::create(
      b, loc, negative, arith::AddIOp::create(b, loc, raw, limit), raw);
  Value above = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                      wrapped, zero);
  Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                      wrapped, limit);
  return {wrapped, arith::AndIOp::create(b, loc, above, below)};
}

/// `value` clamped to [0, size - 1]; `size` is positive.
Value clampIndex(OpBuilder &b, Location loc, Value value, int64_t size) {
  Value zero = indexConstant(b, loc, 0);
  Value last = indexConstant(b, loc, size - 1);
  return arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, value, zero), last);
}

/// A gather index: wrapped once if negative, then clamped into the dimension,
/// so that a bad index reads some element instead of outside the tensor.
Value gatherIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  return clampIndex(b, loc, wrapIndex(b, loc, toIndex(b, loc, raw), size).first,
                    size);
}

/// Whether integers of `element` order as unsigned: ui8 ... ui64 and i1.
bool ordersUnsigned(Type element) {
  return isUnsignedInt(element) || element.isInteger(1);
}

/// x > y (or x < y with `less`) of elements of type `element`, given as
/// signless values (toSignless): floats ordered (false against NaN), integers
/// signed or, for ordersUnsigned types, unsigned.
Value strictlyBetter(OpBuilder &b, Location loc, Value x, Value y, bool less,
                    Type element) {
  if (isa<FloatType>(x.getType()))
    return arith::CmpFOp::create(
        b, loc, less ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT,
        x, y);
  bool isUnsigned = ordersUnsigned(element);
  arith::CmpIPredicate predicate =
      less ? (isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt)
           : (isUnsigned ? arith::CmpIPredicate::ugt
                         : arith::CmpIPredicate::sgt);
  return arith::CmpIOp::create(b, loc, predicate, x, y);
}

Value equal(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
}

/// The lowest (or with `highest` the largest) value of `element`, as a value
/// of that type (unsigned ones through fromSignless): +-inf for floats.
Value extremeValue(OpBuilder &b, Location loc, Type element, bool highest) {
  if (auto floatType = dyn_cast<FloatType>(element)) {
    APFloat inf = APFloat::getInf(floatType.getFloatSemantics(), !highest);
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, inf));
  }
  unsigned width = element.getIntOrFloatBitWidth();
  bool isUnsigned = ordersUnsigned(element);
  APInt value = highest ? (isUnsigned ? APInt::getAllOnes(width)
                                      : APInt::getSignedMaxValue(width))
                        : (isUnsigned ? APInt::getZero(width)
                                      : APInt::getSignedMinValue(width));
  Value signless = arith::ConstantOp::create(
      b, loc, IntegerAttr::get(b.getIntegerType(width), value));
  return fromSignless(b, loc, signless, element);
}

/// A zero of any element type; arith has no scalar constants of unsigned
/// integer types, so those are signless zeros seen through fromSignless.
Value zeroValue(OpBuilder &b, Location loc, Type type) {
  if (!isUnsignedInt(type))
    return scalarConstant(b, loc, type, 0.0);
  Type signless = b.getIntegerType(type.getIntOrFloatBitWidth());
  return fromSignless(b, loc, scalarConstant(b, loc, signless, 0.0), type);
}

/// `current` combined with `update` (both of type `element`) by a scatter's
/// reduction; integers wrap, and max/min of unsigned types compare unsigned.
Value reduceInto(OpBuilder &b, Location loc, StringRef reduction,
                 Value current, Value update, Type element) {
  if (reduction == "none")
    return update;
  Value x = toSignless(b, loc, current), y = toSignless(b, loc, update);
  bool isUnsigned = isUnsignedInt(element);
  Value combined = reduction == "add"   ? arithAdd(b, loc, x, y)
                   : reduction == "mul" ? arithMul(b, loc, x, y)
                   : reduction == "max" ? arithMax(b, loc, x, y, isUnsigned)
                                        : arithMin(b, loc, x, y, isUnsigned);
  return fromSignless(b, loc, combined, element);
}

SmallVector<Value> indexConstants(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> values) {
  SmallVector<Value> result;
  for (int64_t value : values)
    result.push_back(indexConstant(b, loc, value));
  return result;
}

/// Loops over every position of `shape` (row-major, last dimension
/// innermost) threading `iterArgs`; a rank-0 shape runs the body once.
SmallVector<Value> loopOver(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange iterArgs,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange,
                                    ValueRange)>
        body) {
  SmallVector<Value> lbs(shape.size(), indexConstant(b, loc, 0));
  SmallVector<Value> steps(shape.size(), indexConstant(b, loc, 1));
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, indexConstants(b, loc, shape), steps, iterArgs,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        SmallVector<Value> results = body(nested, nestedLoc, ivs, args);
        return scf::ValueVector(results.begin(), results.end());
      });
  return SmallVector<Value>(nest.results.begin(), nest.results.end());
}

/// `rowPosition` (every dimension but `axis`) with `at` inserted at `axis`.
SmallVector<Value> withAxis(ValueRange rowPosition, int64_t axis, Value at) {
  SmallVector<Value> position(rowPosition.begin(), rowPosition.end());
  position.insert(position.begin() + axis, at);
  return position;
}

/// `shape` without dimension `axis`.
SmallVector<int64_t> dropAxis(ArrayRef<int64_t> shape, int64_t axis) {
  SmallVector<int64_t> rest(shape);
  rest.erase(rest.begin() + axis);
  return rest;
}

//===----------------------------------------------------------------------===//
// Gathers
//===----------------------------------------------------------------------===//

struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t axis = *normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t limit = dataType.getDimSize(axis);
    unsigned rank = resultType.getRank();
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
    Value result = buildGeneric(
        rewriter, loc, adaptor.getIndices(), identity,
        emptyTensor(rewriter, loc, resultType), identity, iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          SmallVector<Value> position;
          for (unsigned d = 0; d < rank; ++d)
            position.push_back(
                static_cast<int64_t>(d) == axis
                    ? gatherIndex(b, nested, args[0], limit)
                    : Value(linalg::IndexOp::create(b, nested, d)));
          return SmallVector<Value>{
              tensor::ExtractOp::create(b, nested, data, position)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Each result element reads its index tuple from `indices` and then one
/// element of `data`.
struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batch = op.getBatchDims();
    int64_t tupleDims = indicesType.getRank() - 1;
    int64_t m = indicesType.getDimSize(tupleDims);
    unsigned rank = resultType.getRank();
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, {},
        emptyTensor(rewriter, loc, resultType),
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext()),
        iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange) {
          SmallVector<Value> tuplePosition;
          for (int64_t d = 0; d < tupleDims; ++d)
            tuplePosition.push_back(linalg::IndexOp::create(b, nested, d));
          SmallVector<Value> position;
          for (int64_t d = 0; d < batch; ++d)
            position.push_back(linalg::IndexOp::create(b, nested, d));
          for (int64_t j = 0; j < m; ++j) {
            SmallVector<Value> at(tuplePosition);
            at.push_back(indexConstant(b, nested, j));
            Value raw = tensor::ExtractOp::create(b, nested, indices, at);
            position.push_back(
                gatherIndex(b, nested, raw, dataType.getDimSize(batch + j)));
          }
          for (int64_t d = batch + m; d < dataType.getRank(); ++d)
            position.push_back(
                linalg::IndexOp::create(b, nested, tupleDims + d - batch - m));
          return SmallVector<Value>{
              tensor::ExtractOp::create(b, nested, data, position)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scatters: one loop over the updates, in order, on a tensor that
// bufferizes in place. An update whose index is out of range rewrites the
// (clamped) element it lands on with its own value, so nothing changes.
//===----------------------------------------------------------------------===//

/// Writes `update` at `position` of `into`, combined by `reduction`, or
/// leaves `into` unchanged unless `valid`.
Value scatterOne(OpBuilder &b, Location loc, StringRef reduction, Value into,
                 ArrayRef<Value> position, Value update, Value valid) {
  Value current = tensor::ExtractOp::create(b, loc, into, position);
  Value combined =
      reduceInto(b, loc, reduction, current, update, current.getType());
  Value written = arith::SelectOp::create(b, loc, valid, combined, current);
  return tensor::InsertOp::create(b, loc, written, into, position);
}

struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    StringRef reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    int64_t axis = *normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t limit = dataType.getDimSize(axis);
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(indices.getType()).getShape();
    SmallVector<Value> result = loopOver(
        rewriter, op.getLoc(), shape, adaptor.getData(),
        [&](OpBuilder &b, Location loc, ValueRange ivs, ValueRange args) {
          Value raw = tensor::ExtractOp::create(b, loc, indices, ivs);
          Value update = tensor::ExtractOp::create(b, loc, updates, ivs);
          auto [wrapped, valid] = wrapIndex(b, loc, toIndex(b, loc, raw), limit);
          SmallVector<Value> position(ivs.begin(), ivs.end());
          position[axis] = clampIndex(b, loc, wrapped, limit);
          return SmallVector<Value>{scatterOne(b, loc, reduction, args[0],
                                               position, update, valid)};
        });
    rewriter.replaceOp(op, result.front());
    return success();
  }
};

/// Loops over the update elements: the tuple dimensions of `indices`, then
/// the slice dimensions `data.shape[m:]`.
struct ScatterNDLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    StringRef reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t tupleDims = indicesType.getRank() - 1;
    int64_t m = indicesType.getDimSize(tupleDims);
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(updates.getType()).getShape();
    SmallVector<Value> result = loopOver(
        rewriter, op.getLoc(), shape, adaptor.getData(),
        [&](OpBuilder &b, Location loc, ValueRange ivs, ValueRange args) {
          Value update = tensor::ExtractOp::create(b, loc, updates, ivs);
          SmallVector<Value> position;
          Value valid = arith::ConstantIntOp::create(b, loc, 1, 1);
          for (int64_t j = 0; j < m; ++j) {
            SmallVector<Value> at(ivs.take_front(tupleDims));
            at.push_back(indexConstant(b, loc, j));
            Value raw = tensor::ExtractOp::create(b, loc, indices, at);
            int64_t size = dataType.getDimSize(j);
            auto [wrapped, inRange] =
                wrapIndex(b, loc, toIndex(b, loc, raw), size);
            valid = arith::AndIOp::create(b, loc, valid, inRange);
            position.push_back(clampIndex(b, loc, wrapped, size));
          }
          llvm::append_range(position, ivs.drop_front(tupleDims));
          return SmallVector<Value>{scatterOne(b, loc, reduction, args[0],
                                               position, update, valid)};
        });
    rewriter.replaceOp(op, result.front());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Selection along an axis
//===----------------------------------------------------------------------===//

/// A reduction generic with two outputs, the best value so far and its
/// position; it visits the axis in increasing order, so `>` keeps the first of
/// equal values and `>=` the last.
template <typename OpTy, bool Largest>
struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t axis = *normalizeAxis(op.getAxis(), inputType.getRank());
    bool last = op.getSelectLastIndex();
    unsigned rank = inputType.getRank();
    SmallVector<int64_t> reducedShape = dropAxis(inputType.getShape(), axis);
    Type i64 = rewriter.getI64Type();
    // Starting from the worst value, NaNs (which compare false) are never
    // picked; an all-NaN row answers 0.
    Value worst = extremeValue(rewriter, loc, element, !Largest);
    Value values = filledTensor(
        rewriter, loc, RankedTensorType::get(reducedShape, element), worst);
    Value positions =
        filledTensor(rewriter, loc, RankedTensorType::get(reducedShape, i64),
                     scalarConstant(rewriter, loc, i64, 0.0));
    MLIRContext *ctx = rewriter.getContext();
    AffineMap reducedMap =
        projectionMap(ctx, rank, otherDims(rank, ArrayRef<int64_t>{axis}));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), positions.getType()}, input,
        ValueRange{values, positions},
        {AffineMap::getMultiDimIdentityMap(rank, ctx), reducedMap, reducedMap},
        iteratorTypes(rank, {axis}),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = toSignless(b, nested, args[0]);
          Value best = toSignless(b, nested, args[1]);
          Value take = strictlyBetter(b, nested, x, best, !Largest, element);
          if (last)
            take = arith::OrIOp::create(b, nested, take,
                                        equal(b, nested, x, best));
          Value i = arith::IndexCastOp::create(
              b, nested, i64, linalg::IndexOp::create(b, nested, axis));
          linalg::YieldOp::create(
              b, nested,
              ValueRange{
                  arith::SelectOp::create(b, nested, take, args[0], args[1]),
                  arith::SelectOp::create(b, nested, take, i, args[2])});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// Selection: for each row and each output slot, one pass over the row picks
/// the best element that ranks after the previous pick, in the order of
/// (value, then lower index first). O(rows * k * n), meant for small k.
struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t axis = *normalizeAxis(op.getAxis(), inputType.getRank());
    int64_t n = inputType.getDimSize(axis);
    bool largest = op.getLargest();
    Type i64 = rewriter.getI64Type();
    Value values = emptyTensor(rewriter, loc,
                               cast<RankedTensorType>(op.getValues().getType()));
    Value indices = emptyTensor(
        rewriter, loc, cast<RankedTensorType>(op.getIndices().getType()));
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    Value kBound = indexConstant(rewriter, loc, op.getK());
    Value nBound = indexConstant(rewriter, loc, n);
    Value falseValue = arith::ConstantIntOp::create(rewriter, loc, 0, 1);
    Value trueValue = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
    Value anyValue = extremeValue(rewriter, loc, elementType, false);
    Value anyIndex = scalarConstant(rewriter, loc, i64, 0.0);

    SmallVector<Value> results = loopOver(
        rewriter, loc, dropAxis(inputType.getShape(), axis),
        ValueRange{values, indices},
        [&](OpBuilder &b, Location rowLoc, ValueRange row, ValueRange outs) {
          auto slots = scf::ForOp::create(
              b, rowLoc, zero, kBound, one,
              ValueRange{outs[0], outs[1], anyValue, anyIndex, trueValue},
              [&](OpBuilder &b, Location l, Value slot, ValueRange state) {
                Value prev = toSignless(b, l, state[2]);
                Value prevIndex = state[3], first = state[4];
                auto scan = scf::ForOp::create(
                    b, l, zero, nBound, one,
                    ValueRange{anyValue, anyIndex, falseValue},
                    [&](OpBuilder &b, Location l, Value iv, ValueRange best) {
                      Value element = tensor::ExtractOp::create(
                          b, l, input, withAxis(row, axis, iv));
                      Value x = toSignless(b, l, element);
                      Value i = arith::IndexCastOp::create(b, l, i64, iv);
                      // Ranks after the previous pick: worse, or equal and
                      // later.
                      Value after = arith::OrIOp::create(
                          b, l,
                          strictlyBetter(b, l, x, prev, largest, elementType),
                          arith::AndIOp::create(
                              b, l, equal(b, l, x, prev),
                              arith::CmpIOp::create(
                                  b, l, arith::CmpIPredicate::sgt, i,
                                  prevIndex)));
                      Value eligible =
                          arith::OrIOp::create(b, l, first, after);
                      // Strictly better only: of equal values the earlier
                      // one, seen first, stays.
                      Value better = arith::OrIOp::create(
                          b, l,
                          arith::XOrIOp::create(b, l, best[2], trueValue),
                          strictlyBetter(b, l, x, toSignless(b, l, best[0]),
                                         !largest, elementType));
                      Value take =
                          arith::AndIOp::create(b, l, eligible, better);
                      scf::YieldOp::create(
                          b, l,
                          ValueRange{
                              arith::SelectOp::create(b, l, take, element,
                                                      best[0]),
                              arith::SelectOp::create(b, l, take, i, best[1]),
                              arith::OrIOp::create(b, l, best[2], take)});
                    });
                Value pick = scan.getResult(0), pickIndex = scan.getResult(1);
                SmallVector<Value> at = withAxis(row, axis, slot);
                Value newValues =
                    tensor::InsertOp::create(b, l, pick, state[0], at);
                Value newIndices =
                    tensor::InsertOp::create(b, l, pickIndex, state[1], at);
                scf::YieldOp::create(b, l,
                                     ValueRange{newValues, newIndices, pick,
                                                pickIndex, falseValue});
              });
          return SmallVector<Value>{slots.getResult(0), slots.getResult(1)};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scans
//===----------------------------------------------------------------------===//

/// For each row, one sequential pass along the axis carrying the running
/// value (in f32 for f16/bf16).
template <typename OpTy, bool Product>
struct ScanLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    if (element.isInteger(1))
      return op.emitError("cannot scan an i1 tensor");
    int64_t axis = *normalizeAxis(op.getAxis(), inputType.getRank());
    int64_t n = inputType.getDimSize(axis);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    // Integers wrap alike signed or not, so unsigned ones scan as signless.
    Type acc = isUnsignedInt(element)
                   ? Type(rewriter.getIntegerType(element.getIntOrFloatBitWidth()))
                   : accumulatorType(element);
    Value identity = scalarConstant(rewriter, loc, acc, Product ? 1.0 : 0.0);
    Value zero = indexConstant(rewriter, loc, 0);
    Value one = indexConstant(rewriter, loc, 1);
    Value nBound = indexConstant(rewriter, loc, n);
    Value lastIndex = indexConstant(rewriter, loc, n - 1);
    SmallVector<Value> results = loopOver(
        rewriter, loc, dropAxis(inputType.getShape(), axis),
        emptyTensor(rewriter, loc, inputType),
        [&](OpBuilder &b, Location rowLoc, ValueRange row, ValueRange outs) {
          auto scan = scf::ForOp::create(
              b, rowLoc, zero, nBound, one, ValueRange{outs[0], identity},
              [&](OpBuilder &b, Location l, Value step, ValueRange state) {
                Value i = reverse ? Value(arith::SubIOp::create(b, l, lastIndex,
                                                                step))
                                  : step;
                SmallVector<Value> at = withAxis(row, axis, i);
                Value x = convertFloat(
                    b, l,
                    toSignless(b, l, tensor::ExtractOp::create(b, l, input, at)),
                    acc);
                Value next = Product ? arithMul(b, l, state[1], x)
                                     : arithAdd(b, l, state[1], x);
                Value written = fromSignless(
                    b, l,
                    convertFloat(b, l, exclusive ? state[1] : next,
                                 isUnsignedInt(element) ? acc : element),
                    element);
                Value out = tensor::InsertOp::create(b, l, written, state[0], at);
                scf::YieldOp::create(b, l, ValueRange{out, next});
              });
          return SmallVector<Value>{scan.getResult(0)};
        });
    rewriter.replaceOp(op, results.front());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Position-dependent copies
//===----------------------------------------------------------------------===//

struct TriluLowering : OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    int64_t k = op.getK();
    bool upper = op.getUpper();
    // |k| beyond every row and column keeps all or nothing; bounding it keeps
    // the index arithmetic far from overflow.
    int64_t bound = type.getDimSize(rank - 2) + type.getDimSize(rank - 1) + 1;
    k = std::clamp(k, -bound, bound);
    Value zero = zeroValue(rewriter, loc, type.getElementType());
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
    Value result = buildGeneric(
        rewriter, loc, adaptor.getInput(), identity,
        emptyTensor(rewriter, loc, type), identity, iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          Value i = linalg::IndexOp::create(b, nested, rank - 2);
          Value j = linalg::IndexOp::create(b, nested, rank - 1);
          Value diagonal = arith::SubIOp::create(b, nested, j, i);
          Value keep = arith::CmpIOp::create(
              b, nested,
              upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diagonal, indexConstant(b, nested, k));
          return SmallVector<Value>{
              arith::SelectOp::create(b, nested, keep, args[0], zero)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Element [b, t] reads [b, len[b] - 1 - t] for t < len[b] and [b, t]
/// otherwise, with len clamped into the time dimension.
struct ReverseSequenceLowering : OpConversionPattern<ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value input = adaptor.getInput(), lens = adaptor.getSequenceLens();
    unsigned rank = type.getRank();
    int64_t batchAxis = op.getBatchAxis(), timeAxis = op.getTimeAxis();
    int64_t steps = type.getDimSize(timeAxis);
    Value result = buildGeneric(
        rewriter, loc, ValueRange{}, {}, emptyTensor(rewriter, loc, type),
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext()),
        iteratorTypes(rank),
        [&](OpBuilder &b, Location nested, ValueRange) {
          SmallVector<Value> position;
          for (unsigned d = 0; d < rank; ++d)
            position.push_back(linalg::IndexOp::create(b, nested, d));
          Value raw = tensor::ExtractOp::create(b, nested, lens,
                                                position[batchAxis]);
          Value length = arith::MinSIOp::create(
              b, nested,
              arith::MaxSIOp::create(b, nested, toIndex(b, nested, raw),
                                     indexConstant(b, nested, 0)),
              indexConstant(b, nested, steps));
          Value t = position[timeAxis];
          Value inside = arith::CmpIOp::create(
              b, nested, arith::CmpIPredicate::slt, t, length);
          Value mirrored = arith::SubIOp::create(
              b, nested,
              arith::SubIOp::create(b, nested, length,
                                    indexConstant(b, nested, 1)),
              t);
          position[timeAxis] =
              arith::SelectOp::create(b, nested, inside, mirrored, t);
          return SmallVector<Value>{
              tensor::ExtractOp::create(b, nested, input, position)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::sinter::populateIndexingPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherElementsLowering, GatherNDLowering,
               ScatterElementsLowering, ScatterNDLowering,
               ArgLowering<ArgMaxOp, true>, ArgLowering<ArgMinOp, false>,
               TopKLowering, ScanLowering<CumSumOp, false>,
               ScanLowering<CumProdOp, true>, TriluLowering,
               ReverseSequenceLowering>(patterns.getContext());
}
