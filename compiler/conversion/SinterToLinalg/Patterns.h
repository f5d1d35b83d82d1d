// Private to SinterToLinalg: the per-family pattern sets and the builders they share.
#ifndef SINTER_CONVERSION_SINTERTOLINALG_PATTERNS_H
#define SINTER_CONVERSION_SINTERTOLINALG_PATTERNS_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::sinter {

/// Each adds the conversion patterns of one op family (one source file each).
void populateElementwisePatterns(RewritePatternSet &patterns);
void populateArithmeticPatterns(RewritePatternSet &patterns);
void populateCastPatterns(RewritePatternSet &patterns);
void populateBitCastPatterns(RewritePatternSet &patterns);
void populateLinearPatterns(RewritePatternSet &patterns);
void populateLogicPatterns(RewritePatternSet &patterns);
void populatePoolPatterns(RewritePatternSet &patterns);
void populateNormPatterns(RewritePatternSet &patterns);
void populateReducePatterns(RewritePatternSet &patterns);
void populateShapePatterns(RewritePatternSet &patterns);
void populateIndexingPatterns(RewritePatternSet &patterns);
void populateVisionPatterns(RewritePatternSet &patterns);
void populateNarrowCastPatterns(RewritePatternSet &patterns);

namespace lowering {

/// Body of a linalg.generic: gets the block arguments (inputs, then outputs)
/// and returns the values to yield.
using BodyFn =
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// True for unsigned integer types (ui8 ... ui64) or tensors of them: arith
/// computes on signless integers only, so bodies go through toSignless.
bool isUnsignedInt(Type type);

/// Fails with an error on `op` when any of `types` holds unsigned integers.
LogicalResult requireSignless(Operation *op, TypeRange types);

/// A scalar `arith.constant` of `type` (float or integer) holding `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The identity of max: -inf for floats, the smallest value for integers.
Value lowestValue(OpBuilder &b, Location loc, Type type);

/// `tensor.empty` of `type`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// `tensor.empty` of `type` filled with `scalar` by `linalg.fill`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value scalar);

/// Map from the `result` iteration space to an operand that broadcasts to it
/// numpy-style (aligned on the right; a 1 against a larger size reads index 0).
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operand,
                       ArrayRef<int64_t> result);

/// Map from `numDims` loops that keeps only the loops in `dims`, in order.
AffineMap projectionMap(MLIRContext *ctx, unsigned numDims,
                        ArrayRef<int64_t> dims);

/// Iterator types for `numDims` loops, `reduced` ones being reductions.
SmallVector<utils::IteratorType> iteratorTypes(unsigned numDims,
                                               ArrayRef<int64_t> reduced = {});

/// The complement of `dims` in [0, numDims).
SmallVector<int64_t> otherDims(unsigned numDims, ArrayRef<int64_t> dims);

/// A linalg.generic over `iterators` that writes its one result into `init`
/// (of `init`'s type) and returns it.
Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init, AffineMap initMap,
                   ArrayRef<utils::IteratorType> iterators, BodyFn body);

/// An elementwise linalg.generic producing `resultType` from `inputs` that
/// broadcast against it; `body` gets the input scalars and yields one value.
Value buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// `x` as the signless integer of its width when it is unsigned (an
/// unrealized_conversion_cast, which LLVM lowering removes: both are iN
/// there); anything else is returned as is.
Value toSignless(OpBuilder &b, Location loc, Value x);

/// The inverse of toSignless: `x` (signless) as `to` when that is unsigned.
Value fromSignless(OpBuilder &b, Location loc, Value x, Type to);

/// buildElementwise for bodies that compute with arith: the body gets signless
/// scalars, and its result is turned back into `resultType`'s element type.
/// Callers pass the signedness they need to the arith helpers below.
Value buildArithElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// Reduces `input` over `dims` with `combine(element, accumulator)` starting
/// from `initValue`; the result drops those dims and has the element type of
/// `initValue` (which may be wider than the input's).
Value buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
    Value initValue,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// `tensor.pad` of `input` with constant `padValue`; a no-op without padding.
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue);

/// The same elements in row-major order with `target`'s shape, through
/// collapse_shape/expand_shape.
Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType target);

/// Splits dim `dim` of `input` into [outer, size / outer] (expand_shape).
Value splitDim(OpBuilder &b, Location loc, Value input, int64_t dim,
               int64_t outer);

/// Merges dims `dim` and `dim + 1` of `input` into one (collapse_shape).
Value mergeDims(OpBuilder &b, Location loc, Value input, int64_t dim);

/// The type sums of `element` accumulate in: f32 for f16/bf16, whose own
/// sums lose too much over long reductions; `element` otherwise.
Type accumulatorType(Type element);

/// Extends or truncates a float scalar to `to` (a no-op when equal).
Value convertFloat(OpBuilder &b, Location loc, Value x, Type to);

/// `input` with its float elements converted to `element` by an elementwise
/// generic (a no-op when equal).
Value convertTensor(OpBuilder &b, Location loc, Value input, Type element);

/// Scalar arithmetic that picks the float or the integer op; integers are
/// signless values, signed except i1. The overloads with `isUnsigned` compare
/// and divide unsigned when it is set (for values from toSignless).
Value arithAdd(OpBuilder &b, Location loc, Value x, Value y);
Value arithMul(OpBuilder &b, Location loc, Value x, Value y);
Value arithDiv(OpBuilder &b, Location loc, Value x, Value y);
Value arithMax(OpBuilder &b, Location loc, Value x, Value y);
Value arithMin(OpBuilder &b, Location loc, Value x, Value y);
Value arithDiv(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned);
Value arithMax(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned);
Value arithMin(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned);

/// One element converted from `from` to `to` (the original element types,
/// unsigned ones included) with ONNX Cast semantics; `x` is signless and so is
/// the result.
Value castElement(OpBuilder &b, Location loc, Value x, Type from, Type to);
/// The 8-bit float types, and castElement to or from one (Float8Cast.cpp).
bool isFloat8(Type type);
Value castFloat8(OpBuilder &b, Location loc, Value x, Type from, Type to,
                 bool saturate = true);

} // namespace lowering
} // namespace mlir::sinter

#endif // SINTER_CONVERSION_SINTERTOLINALG_PATTERNS_H
