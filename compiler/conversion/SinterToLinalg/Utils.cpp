// Builders shared by the SinterToLinalg patterns: constants, init tensors, maps, generics, reshapes.
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/BuiltinOps.h"

#include <numeric>

using namespace mlir;

namespace mlir::sinter::lowering {

bool isUnsignedInt(Type type) {
  auto integer = dyn_cast<IntegerType>(getElementTypeOrSelf(type));
  return integer && !integer.isSignless();
}

LogicalResult requireSignless(Operation *op, TypeRange types) {
  for (Type type : types)
    if (isUnsignedInt(type))
      return op->emitError("cannot lower '")
             << op->getName() << "' on " << type
             << ": arithmetic on unsigned element types is not supported";
  return success();
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, value));
  auto intType = cast<IntegerType>(type);
  int64_t intValue =
      intType.getWidth() == 1 ? value != 0.0 : static_cast<int64_t>(value);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(intType, intValue));
}

Value lowestValue(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type)) {
    APFloat inf = APFloat::getInf(floatType.getFloatSemantics(), true);
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, inf));
  }
  auto intType = cast<IntegerType>(type);
  APInt lowest = intType.getWidth() == 1
                     ? APInt::getZero(1)
                     : APInt::getSignedMinValue(intType.getWidth());
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(intType, lowest));
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value scalar) {
  Value empty = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operand,
                       ArrayRef<int64_t> result) {
  unsigned offset = result.size() - operand.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(operand)) {
    unsigned dim = offset + i;
    if (size == 1 && result[dim] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(dim, ctx));
  }
  return AffineMap::get(result.size(), 0, exprs, ctx);
}

AffineMap projectionMap(MLIRContext *ctx, unsigned numDims,
                        ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t dim : dims)
    exprs.push_back(getAffineDimExpr(dim, ctx));
  return AffineMap::get(numDims, 0, exprs, ctx);
}

SmallVector<utils::IteratorType> iteratorTypes(unsigned numDims,
                                               ArrayRef<int64_t> reduced) {
  SmallVector<utils::IteratorType> types(numDims,
                                         utils::IteratorType::parallel);
  for (int64_t dim : reduced)
    types[dim] = utils::IteratorType::reduction;
  return types;
}

SmallVector<int64_t> otherDims(unsigned numDims, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> others;
  for (int64_t d = 0; d < static_cast<int64_t>(numDims); ++d)
    if (!llvm::is_contained(dims, d))
      others.push_back(d);
  return others;
}

Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init, AffineMap initMap,
                   ArrayRef<utils::IteratorType> iterators, BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(initMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        broadcastMap(ctx, cast<RankedTensorType>(input.getType()).getShape(),
                     resultType.getShape()));
  unsigned rank = resultType.getRank();
  return buildGeneric(
      b, loc, inputs, maps, emptyTensor(b, loc, resultType),
      AffineMap::getMultiDimIdentityMap(rank, ctx), iteratorTypes(rank),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return SmallVector<Value>{body(nested, nestedLoc, args.drop_back())};
      });
}

Value buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
    Value initValue,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto inputType = cast<RankedTensorType>(input.getType());
  unsigned rank = inputType.getRank();
  SmallVector<int64_t> kept = otherDims(rank, dims);
  SmallVector<int64_t> shape;
  for (int64_t d : kept)
    shape.push_back(inputType.getDimSize(d));
  auto resultType = RankedTensorType::get(shape, initValue.getType());
  MLIRContext *ctx = b.getContext();
  return buildGeneric(
      b, loc, input, AffineMap::getMultiDimIdentityMap(rank, ctx),
      filledTensor(b, loc, resultType, initValue),
      projectionMap(ctx, rank, kept), iteratorTypes(rank, dims),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return SmallVector<Value>{combine(nested, nestedLoc, args[0], args[1])};
      });
}

Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(inputType.getShape());
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (size_t d = 0; d < shape.size(); ++d) {
    shape[d] += low[d] + high[d];
    lowSizes.push_back(b.getIndexAttr(low[d]));
    highSizes.push_back(b.getIndexAttr(high[d]));
  }
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  return tensor::PadOp::create(b, loc, resultType, input, lowSizes, highSizes,
                               padValue);
}

/// [[0, 1, ..., rank - 1]]: every dimension in one group.
static SmallVector<ReassociationIndices> allInOne(int64_t rank) {
  ReassociationIndices group(rank);
  std::iota(group.begin(), group.end(), 0);
  return {group};
}

Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType target) {
  auto source = cast<RankedTensorType>(input.getType());
  if (source.getShape() == target.getShape())
    return input;
  // Rank 0 on either side: every other dimension is 1, no groups needed.
  if (source.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, target, input,
                                         ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, input,
                                           ArrayRef<ReassociationIndices>{});
  if (auto groups = getReassociationIndicesForReshape(source, target)) {
    if (source.getRank() > target.getRank())
      return tensor::CollapseShapeOp::create(b, loc, target, input, *groups);
    return tensor::ExpandShapeOp::create(b, loc, target, input, *groups);
  }
  // Neither a pure collapse nor a pure expansion: go through one dimension.
  auto flatType =
      RankedTensorType::get({source.getNumElements()}, source.getElementType());
  Value flat = input;
  if (source.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           allInOne(source.getRank()));
  if (target.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       allInOne(target.getRank()));
}

/// Reassociation of `rank` dims in which dim `dim` pairs with the next.
static SmallVector<ReassociationIndices> pairAt(int64_t rank, int64_t dim) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == dim + 1)
      groups.back().push_back(d);
    else
      groups.push_back({d});
  }
  return groups;
}

Value splitDim(OpBuilder &b, Location loc, Value input, int64_t dim,
               int64_t outer) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  int64_t size = shape[dim];
  shape[dim] = size / outer;
  shape.insert(shape.begin() + dim, outer);
  auto target = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, target, input,
                                       pairAt(shape.size(), dim));
}

Value mergeDims(OpBuilder &b, Location loc, Value input, int64_t dim) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] *= shape[dim + 1];
  shape.erase(shape.begin() + dim + 1);
  auto target = RankedTensorType::get(shape, type.getElementType());
  return tensor::CollapseShapeOp::create(b, loc, target, input,
                                         pairAt(type.getRank(), dim));
}

Type accumulatorType(Type element) {
  if (isa<FloatType>(element) && element.getIntOrFloatBitWidth() < 32)
    return Float32Type::get(element.getContext());
  return element;
}

Value convertFloat(OpBuilder &b, Location loc, Value x, Type to) {
  if (x.getType() == to)
    return x;
  if (x.getType().getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

Value convertTensor(OpBuilder &b, Location loc, Value input, Type element) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getElementType() == element)
    return input;
  return buildElementwise(
      b, loc, RankedTensorType::get(type.getShape(), element), input,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return convertFloat(nested, nestedLoc, args[0], element);
      });
}

static bool isBool(Type type) { return type.isInteger(1); }

Value arithAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value arithMul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value arithDiv(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::DivFOp::create(b, loc, x, y);
  if (isUnsigned || isBool(x.getType()))
    return arith::DivUIOp::create(b, loc, x, y);
  return arith::DivSIOp::create(b, loc, x, y);
}

Value arithMax(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned || isBool(x.getType()))
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value arithMin(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned || isBool(x.getType()))
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value arithDiv(OpBuilder &b, Location loc, Value x, Value y) {
  return arithDiv(b, loc, x, y, /*isUnsigned=*/false);
}

Value arithMax(OpBuilder &b, Location loc, Value x, Value y) {
  return arithMax(b, loc, x, y, /*isUnsigned=*/false);
}

Value arithMin(OpBuilder &b, Location loc, Value x, Value y) {
  return arithMin(b, loc, x, y, /*isUnsigned=*/false);
}

Value toSignless(OpBuilder &b, Location loc, Value x) {
  auto type = dyn_cast<IntegerType>(x.getType());
  if (!type || type.isSignless())
    return x;
  Type signless = IntegerType::get(b.getContext(), type.getWidth());
  return UnrealizedConversionCastOp::create(b, loc, signless, x).getResult(0);
}

Value fromSignless(OpBuilder &b, Location loc, Value x, Type to) {
  if (x.getType() == to)
    return x;
  return UnrealizedConversionCastOp::create(b, loc, to, x).getResult(0);
}

Value buildArithElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Type element = resultType.getElementType();
  return buildElementwise(
      b, loc, resultType, inputs,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> signless;
        for (Value arg : args)
          signless.push_back(toSignless(nested, nestedLoc, arg));
        return fromSignless(nested, nestedLoc,
                            body(nested, nestedLoc, signless), element);
      });
}

/// Float to integer conversion as C does it on x86-64 (and numpy, and
/// onnxruntime): narrow integers go through i32, whose low bits they keep,
/// and u32 through i64, so out-of-range values wrap instead of being poison.
static Value floatToInt(OpBuilder &b, Location loc, Value x, IntegerType to,
                        bool toUnsigned) {
  unsigned width = to.getWidth();
  if (toUnsigned && width == 64)
    return arith::FPToUIOp::create(b, loc, to, x);
  unsigned via = width < 32 ? 32 : toUnsigned && width == 32 ? 64 : width;
  Value wide = arith::FPToSIOp::create(b, loc, b.getIntegerType(via), x);
  if (via == width)
    return wide;
  return arith::TruncIOp::create(b, loc, to, wide);
}

Value castElement(OpBuilder &b, Location loc, Value x, Type from, Type to) {
  if (from == to)
    return x;
  if (isFloat8(from) || isFloat8(to))
    return castFloat8(b, loc, x, from, to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  bool fromUnsigned = from.isInteger(1) || from.isUnsignedInteger();
  bool toUnsigned = to.isUnsignedInteger();
  Type f32 = b.getF32Type();
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, x.getType(), 0.0);
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, x);
    // f16 <-> bf16: through f32, which holds both exactly.
    Value wide = arith::ExtFOp::create(b, loc, f32, x);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  Type signlessTo =
      toFloat ? to : IntegerType::get(b.getContext(), to.getIntOrFloatBitWidth());
  if (fromFloat) {
    // Half floats convert through f32, which every target converts natively.
    if (fromFloat.getWidth() < 32)
      x = arith::ExtFOp::create(b, loc, f32, x);
    return floatToInt(b, loc, x, cast<IntegerType>(signlessTo), toUnsigned);
  }
  if (toFloat) {
    Type via = toFloat.getWidth() < 32 ? f32 : to;
    Value converted =
        fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, via, x))
                     : Value(arith::SIToFPOp::create(b, loc, via, x));
    return via == to ? converted
                     : Value(arith::TruncFOp::create(b, loc, to, converted));
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, signlessTo, x))
                        : Value(arith::ExtSIOp::create(b, loc, signlessTo, x));
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, signlessTo, x);
  return x; // i8 <-> ui8 and the like: the same bits
}

} // namespace mlir::sinter::lowering
