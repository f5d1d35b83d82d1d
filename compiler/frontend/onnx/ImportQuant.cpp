// Quantization ONNX ops: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear and the integer and QLinear matmul and convolution, as float arithmetic that is exact for 8- and 16-bit integers.
#include "frontend/onnx/Compose.h"
#include "frontend/onnx/DataTypes.h"

using namespace mlir;
namespace sd = mlir::sinter;

namespace sinter::onnx_import {

namespace {

/// The range of an integer element type Sinter quantizes to, or nullopt.
std::optional<std::pair<int64_t, int64_t>> quantRange(Type element) {
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer || integer.getWidth() == 1 || integer.getWidth() > 16)
    return std::nullopt;
  unsigned width = integer.getWidth();
  if (integer.isUnsigned())
    return std::make_pair(int64_t(0), (int64_t(1) << width) - 1);
  return std::make_pair(-(int64_t(1) << (width - 1)),
                        (int64_t(1) << (width - 1)) - 1);
}

/// A scale or zero point shaped to broadcast against `shape`: a scalar (or
/// one-element vector) per tensor, a vector along `axis`, or with
/// `blockSize`, a tensor of x's rank whose `axis` dimension counts blocks.
Value quantParam(Compose &c, Value param, ArrayRef<int64_t> shape,
                 int64_t attrAxis, int64_t blockSize, StringRef what) {
  NodeContext &node = c.context();
  auto type = Compose::typeOf(param);
  int64_t rank = shape.size();
  if (blockSize == 0 && type.getNumElements() == 1 && type.getRank() <= 1)
    return c.reshape(param, {});
  // The axis matters only to per-axis and blocked parameters.
  FailureOr<int64_t> normalized = normalizeAxisAt(node, attrAxis, rank, "axis");
  if (failed(normalized))
    return c.fail();
  int64_t axis = *normalized;
  if (blockSize == 0) {
    if (type.getRank() != 1 || rank == 0 || type.getDimSize(0) != shape[axis]) {
      node.emitError() << what << " of type " << type
                       << " is neither per tensor nor per axis " << axis
                       << " of a " << RankedTensorType::get(shape,
                                                            type.getElementType())
                       << " input";
      return c.fail();
    }
    SmallVector<int64_t> paramShape(rank - axis, 1);
    paramShape[0] = shape[axis];
    return c.reshape(param, paramShape);
  }
  int64_t blocks = (shape[axis] + blockSize - 1) / blockSize;
  SmallVector<int64_t> want(shape);
  want[axis] = blocks;
  if (type.getShape() != ArrayRef<int64_t>(want)) {
    node.emitError() << what << " of type " << type << " does not hold one "
                     << "value per block of " << blockSize << " along axis "
                     << axis << " (expected [" << want << "])";
    return c.fail();
  }
  // Repeat every block's value blockSize times, then cut the last block.
  SmallVector<int64_t> split(want);
  split.insert(split.begin() + axis + 1, 1);
  Value column = c.reshape(param, split);
  Value repeated =
      c.concat(SmallVector<Value>(blockSize, column), axis + 1);
  SmallVector<int64_t> flat(want);
  flat[axis] = blocks * blockSize;
  return c.slice(c.reshape(repeated, flat), axis, 0, shape[axis]);
}

/// The range of sub-byte integer format `format` ("int4", ...), whose values
/// travel in an i8 or ui8 carrier, or nullopt.
std::optional<std::pair<int64_t, int64_t>> subByteRange(StringRef format) {
  if (format == "int4")
    return std::make_pair(int64_t(-8), int64_t(7));
  if (format == "uint4")
    return std::make_pair(int64_t(0), int64_t(15));
  if (format == "int2")
    return std::make_pair(int64_t(-2), int64_t(1));
  if (format == "uint2")
    return std::make_pair(int64_t(0), int64_t(3));
  return std::nullopt;
}

bool isQuantFloat8(Type type) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType>(type);
}

/// The type of an 8-bit float zero point given as a constant, or null. It
/// must be 0 and is never read (ONNX's reference ignores it), and
/// sinter.constant carries no 8-bit floats, so it is not materialized.
Type float8ZeroPoint(NodeContext &node) {
  if (!node.hasInput(2))
    return {};
  DenseElementsAttr known = node.constantInput(2);
  if (!known || !isQuantFloat8(known.getElementType()))
    return {};
  return known.getElementType();
}

/// round-half-to-even(x) + zeroPoint, saturated to `element`'s range (or
/// `range`, for a sub-byte format's carrier), as `element`; `x` and
/// `zeroPoint` are already floats of one type.
Value saturateTo(Compose &c, Value x, Value zeroPoint, Type element,
                 std::optional<std::pair<int64_t, int64_t>> range = {}) {
  if (!x)
    return c.fail();
  auto [lo, hi] = range ? *range : *quantRange(element);
  Type work = Compose::elementOf(x);
  Value rounded = c.unary<sd::RoundOp>(x);
  if (zeroPoint)
    rounded = c.add(rounded, zeroPoint);
  Value clamped = c.max(c.min(rounded, c.scalar(work, double(hi))),
                        c.scalar(work, double(lo)));
  return c.convert(clamped, element);
}

/// QuantizeLinear: saturate(round(x / scale) + zero_point).
LogicalResult importQuantizeLinear(NodeContext &node) {
  int64_t attrAxis = node.intAttr("axis", 1);
  int64_t blockSize = node.intAttr("block_size", 0);
  int64_t outputDtype = node.intAttr("output_dtype", 0);
  int64_t precision = node.intAttr("precision", 0);
  int64_t saturate = node.intAttr("saturate", 1);
  FailureOr<Value> x = node.input(0), scale = node.input(1);
  Type float8Zero = float8ZeroPoint(node);
  FailureOr<Value> zeroPoint =
      float8Zero ? FailureOr<Value>(Value()) : node.optionalInput(2);
  if (failed(x) || failed(scale) || failed(zeroPoint) || node.hadError())
    return failure();
  auto xType = Compose::typeOf(*x);
  if (!isa<FloatType>(xType.getElementType()) ||
      !isa<FloatType>(Compose::elementOf(*scale)))
    return node.emitError() << "x and y_scale must be floats, got " << xType
                            << " and " << scale->getType();
  Type element = IntegerType::get(node.context(), 8, IntegerType::Unsigned);
  if (outputDtype != 0) {
    element = convertElementType(node.context(), outputDtype);
    if (!element || (!quantRange(element) && !isQuantFloat8(element)))
      return node.emitError() << "quantizing to " << dataTypeName(outputDtype)
                              << " is not supported";
  }
  // The ONNX type, which the carriers of the sub-byte types hide.
  int32_t code = *zeroPoint ? onnxDataType(node, node.proto().input(2))
                            : int32_t(outputDtype);
  if (*zeroPoint) {
    Type zeroType = Compose::elementOf(*zeroPoint);
    if (outputDtype != 0 && (zeroType != element ||
                             (code != 0 && code != outputDtype))) {
      InFlightDiagnostic diag = node.emitError()
                                << "output_dtype " << dataTypeName(outputDtype)
                                << " disagrees with y_zero_point's type ";
      if (code)
        diag << dataTypeName(code);
      else
        diag << zeroType;
      return diag;
    }
    element = zeroType;
  }
  if (float8Zero) {
    if (outputDtype != 0 && float8Zero != element)
      return node.emitError() << "output_dtype " << dataTypeName(outputDtype)
                              << " disagrees with y_zero_point's type "
                              << float8Zero;
    element = float8Zero;
  }
  StringRef format = subByteFormat(code);
  bool toFloat = isQuantFloat8(element) || format == "float4e2m1";
  if (!toFloat && !quantRange(element))
    return node.emitError() << "quantizing to " << element
                            << " is not supported (8- and 16-bit integers "
                               "are)";
  if (blockSize < 0)
    return node.emitError() << "block_size must not be negative";
  // The division runs in x's type, or the wider of x and the scale, or the
  // requested precision; f16 and bf16 are widened to f32 first, which
  // rounds the same way once the quotient is rounded to an integer.
  Type work = xType.getElementType();
  if (precision != 0) {
    work = convertElementType(node.context(), precision);
    if (!work || !isa<FloatType>(work))
      return node.emitError() << "precision must name a float type, got "
                              << dataTypeName(precision);
  }
  if (cast<FloatType>(work).getWidth() < 32)
    work = Float32Type::get(node.context());
  Compose c(node);
  ArrayRef<int64_t> shape = xType.getShape();
  Value s = quantParam(c, *scale, shape, attrAxis, blockSize, "y_scale");
  // The 8-bit floats' zero point must be 0 and ONNX's reference ignores it.
  Value zp = *zeroPoint && !isQuantFloat8(element)
                 ? quantParam(c, *zeroPoint, shape, attrAxis, blockSize,
                              "y_zero_point")
                 : Value();
  Value quotient = c.div(c.convert(*x, work), c.convert(s, work));
  if (toFloat) {
    if (c.failed())
      return failure();
    if (format == "float4e2m1") {
      // x / scale + zero_point, rounded to E2M1 (which saturates).
      if (zp)
        quotient = c.add(quotient,
                         c.take(narrowCast(node, zp, work, format, true)));
      if (c.failed())
        return failure();
      return node.setOutput(0, narrowCast(node, quotient, element, format,
                                          false));
    }
    // The 8-bit floats: x / scale cast with `saturate`.
    if (saturate == 0)
      return node.setOutput(0, narrowCast(node, quotient, element, "float8",
                                          false));
    return node.setOutput(0, node.convert(quotient, element));
  }
  Value y = saturateTo(c, quotient, zp ? c.convert(zp, work) : Value(),
                       element, subByteRange(format));
  return c.setOutput(0, y);
}

/// DequantizeLinear: (x - zero_point) * scale, per tensor, axis or block.
LogicalResult importDequantizeLinear(NodeContext &node) {
  int64_t attrAxis = node.intAttr("axis", 1);
  int64_t blockSize = node.intAttr("block_size", 0);
  int64_t outputDtype = node.intAttr("output_dtype", 0);
  FailureOr<Value> x = node.input(0), scale = node.input(1);
  Type float8Zero = float8ZeroPoint(node);
  FailureOr<Value> zeroPoint =
      float8Zero ? FailureOr<Value>(Value()) : node.optionalInput(2);
  if (failed(x) || failed(scale) || failed(zeroPoint) || node.hadError())
    return failure();
  auto xType = Compose::typeOf(*x);
  Type element = Compose::elementOf(*scale);
  Type xElement = xType.getElementType();
  if (!isa<FloatType>(element))
    return node.emitError() << "x_scale must be a float tensor, got "
                            << scale->getType();
  StringRef format = subByteFormat(onnxDataType(node, node.proto().input(0)));
  if (isQuantFloat8(xElement) || format == "float4e2m1") {
    // The float formats: x * scale; ONNX requires a zero point of 0 and its
    // reference ignores it.
    if (blockSize < 0)
      return node.emitError() << "block_size must not be negative";
    if (outputDtype != 0 &&
        convertElementType(node.context(), outputDtype) != element)
      return node.emitError() << "output_dtype " << dataTypeName(outputDtype)
                              << " differs from x_scale's type " << element;
    Type f32 = Float32Type::get(node.context());
    Compose c(node);
    Value value = format.empty()
                      ? c.convert(*x, f32)
                      : c.take(narrowCast(node, *x, f32, format, true));
    Value s = quantParam(c, *scale, xType.getShape(), attrAxis, blockSize,
                         "x_scale");
    Type work = element.isF64() ? element : f32;
    Value y = c.convert(c.mul(c.convert(value, work), c.convert(s, work)),
                        element);
    if (c.failed())
      return failure();
    node.setOutput(0, y);
    return success();
  }
  if (!quantRange(xElement) && !xElement.isSignlessInteger(32))
    return node.emitError() << "dequantizing " << xElement
                            << " is not supported (8-, 16- and 32-bit "
                               "integers are)";
  if (*zeroPoint && Compose::elementOf(*zeroPoint) != xElement)
    return node.emitError() << "x_zero_point's type "
                            << zeroPoint->getType() << " differs from x's "
                            << xType;
  if (outputDtype != 0 &&
      convertElementType(node.context(), outputDtype) != element)
    return node.emitError() << "output_dtype " << dataTypeName(outputDtype)
                            << " differs from x_scale's type " << element;
  if (blockSize < 0)
    return node.emitError() << "block_size must not be negative";
  // x - zero_point is exact in f32 for 16-bit integers and in f64 for 32-bit.
  Type work = xElement.isSignlessInteger(32)
                  ? Type(Float64Type::get(node.context()))
                  : Type(Float32Type::get(node.context()));
  Compose c(node);
  ArrayRef<int64_t> shape = xType.getShape();
  Value s = quantParam(c, *scale, shape, attrAxis, blockSize, "x_scale");
  Value centered = c.convert(*x, work);
  if (*zeroPoint)
    centered = c.sub(centered,
                     c.convert(quantParam(c, *zeroPoint, shape, attrAxis,
                                          blockSize, "x_zero_point"),
                               work));
  Value y;
  if (element.isF64() || work.isF64())
    y = c.convert(c.mul(c.convert(centered, Float64Type::get(node.context())),
                        c.convert(s, Float64Type::get(node.context()))),
                  element);
  else
    y = c.convert(c.mul(centered, c.convert(s, work)), element);
  return c.setOutput(0, y);
}

/// DynamicQuantizeLinear: uint8 quantization with the scale and zero point
/// that map [min(x, 0), max(x, 0)] onto [0, 255].
LogicalResult importDynamicQuantizeLinear(NodeContext &node) {
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  auto xType = Compose::typeOf(*x);
  if (!xType.getElementType().isF32())
    return node.emitError() << "x must be a float tensor, got " << xType;
  Type f32 = xType.getElementType();
  Type u8 = IntegerType::get(node.context(), 8, IntegerType::Unsigned);
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < xType.getRank(); ++d)
    all.push_back(d);
  Compose c(node);
  Value zero = c.scalar(f32, 0.0);
  Value hi = c.max(c.reduceMax(*x, all, false), zero);
  Value lo = c.min(c.reduceMin(*x, all, false), zero);
  // A constant-zero x gets scale 1/255 instead of 0.
  Value range = c.sub(hi, lo);
  range = c.select(c.compare(range, "eq", zero), c.scalar(f32, 1.0), range);
  Value scale = c.div(range, c.scalar(f32, 255.0));
  Value zeroPoint = c.unary<sd::RoundOp>(c.max(
      c.min(c.sub(zero, c.div(lo, scale)), c.scalar(f32, 255.0)), zero));
  Value y = saturateTo(c, c.div(*x, scale), zeroPoint, u8);
  Value zeroPointOut = c.convert(zeroPoint, u8);
  if (c.failed())
    return failure();
  node.setOutput(0, y);
  node.setOutput(1, scale);
  node.setOutput(2, zeroPointOut);
  return success();
}

/// `value - zeroPoint` in f64, where integer products and sums up to 2^53
/// are exact; `zeroPoint` is already shaped to broadcast, or null.
Value centeredF64(Compose &c, Value value, Value zeroPoint) {
  Type f64 = Float64Type::get(c.context().context());
  Value centered = c.convert(value, f64);
  if (zeroPoint)
    centered = c.sub(centered, c.convert(zeroPoint, f64));
  return centered;
}

/// An 8-bit integer tensor operand, or an error naming it.
LogicalResult check8Bit(NodeContext &node, Value v, StringRef what) {
  Type element = Compose::elementOf(v);
  if (!element.isInteger(8))
    return node.emitError() << what << " must be int8 or uint8, got "
                            << v.getType();
  return success();
}

/// The integer matrix product of MatMulInteger and QLinearMatMul, in f64:
/// (a - a_zero_point) @ (b - b_zero_point) with numpy's 1-D rules. a's zero
/// point may be per row of a and b's per column of b.
Value integerMatMul(Compose &c, Value a, Value aZero, Value b, Value bZero) {
  NodeContext &node = c.context();
  auto aType = Compose::typeOf(a), bType = Compose::typeOf(b);
  if (aType.getRank() == 0 || bType.getRank() == 0) {
    node.emitError() << "matmul operands must have rank 1 or more";
    return c.fail();
  }
  auto zeroFor = [&](Value zero, int64_t dim, bool rows) -> Value {
    if (!zero)
      return zero;
    auto type = Compose::typeOf(zero);
    if (type.getNumElements() == 1)
      return c.reshape(zero, {});
    if (type.getRank() == 1 && type.getDimSize(0) == dim)
      return rows ? c.reshape(zero, {dim, 1}) : zero;
    node.emitError() << "zero point of type " << type
                     << " is neither a scalar nor one value per "
                     << (rows ? "row" : "column");
    return c.fail();
  };
  bool vectorA = aType.getRank() == 1, vectorB = bType.getRank() == 1;
  int64_t inner = aType.getShape().back();
  int64_t innerB = bType.getShape()[vectorB ? 0 : bType.getRank() - 2];
  if (inner != innerB) {
    node.emitError() << "the contraction sizes of " << aType << " and "
                     << bType << " differ";
    return c.fail();
  }
  Value lhs = centeredF64(
      c, a, zeroFor(aZero, vectorA ? 1 : aType.getShape().end()[-2], true));
  Value rhs = centeredF64(
      c, b, zeroFor(bZero, bType.getShape().back(), false));
  if (vectorA)
    lhs = c.reshape(lhs, {1, aType.getDimSize(0)});
  if (vectorB)
    rhs = c.reshape(rhs, {bType.getDimSize(0), 1});
  Value product = c.matmul(lhs, rhs);
  if (!product || (!vectorA && !vectorB))
    return product;
  SmallVector<int64_t> shape(Compose::shapeOf(product));
  if (vectorB)
    shape.erase(shape.end() - 1);
  if (vectorA)
    shape.erase(shape.end() - (vectorB ? 1 : 2));
  return c.reshape(product, shape);
}

/// (accumulator * (scaleA * scaleB / scaleY)) requantized to the output's
/// zero point type; the multiplier is formed in the scales' type, as ONNX
/// computes it, and applied in f64.
Value requantize(Compose &c, Value accumulator, Value scaleA, Value scaleB,
                 Value scaleY, Value zeroY, Type element) {
  Type f64 = Float64Type::get(c.context().context());
  Value multiplier = c.div(c.mul(scaleA, scaleB), scaleY);
  Value scaled = c.mul(accumulator, c.convert(multiplier, f64));
  return saturateTo(c, scaled, zeroY ? c.convert(zeroY, f64) : Value(),
                    element);
}

/// The scalar form of a per-tensor scale or zero point ([] or [1]).
Value perTensor(Compose &c, Value v, StringRef what) {
  if (!v)
    return v;
  if (Compose::typeOf(v).getNumElements() != 1) {
    c.context().emitError() << what << " must hold one value, got "
                            << v.getType();
    return c.fail();
  }
  return c.reshape(v, {});
}

LogicalResult importQLinearMatMul(NodeContext &node) {
  SmallVector<Value, 8> in;
  for (unsigned i = 0; i < 8; ++i) {
    FailureOr<Value> v = i == 2 || i == 5 || i == 7 ? node.optionalInput(i)
                                                    : node.input(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  if (failed(check8Bit(node, in[0], "a")) ||
      failed(check8Bit(node, in[3], "b")))
    return failure();
  Type element = in[7] ? Compose::elementOf(in[7]) : Compose::elementOf(in[0]);
  if (!quantRange(element) || !element.isInteger(8))
    return node.emitError() << "y_zero_point must be int8 or uint8, got "
                            << element;
  auto bScaleType = Compose::typeOf(in[4]);
  if (Compose::typeOf(in[0]).getRank() == 0 ||
      Compose::typeOf(in[3]).getRank() == 0)
    return node.emitError() << "a and b must have rank 1 or more";
  int64_t columns = Compose::shapeOf(in[3]).back();
  if (bScaleType.getNumElements() != 1 &&
      bScaleType.getShape() != ArrayRef<int64_t>{columns})
    return node.emitError() << "b_scale of type " << bScaleType
                            << " is neither per tensor nor per column of b";
  Compose c(node);
  Value scaleA = perTensor(c, in[1], "a_scale");
  Value scaleY = perTensor(c, in[6], "y_scale");
  // b's scale may be per column; it broadcasts along the last dimension.
  Value scaleB = Compose::typeOf(in[4]).getNumElements() == 1
                     ? perTensor(c, in[4], "b_scale")
                     : in[4];
  Value acc = integerMatMul(c, in[0], perTensor(c, in[2], "a_zero_point"),
                            in[3], in[5]);
  Value y = requantize(c, acc, scaleA, scaleB, scaleY,
                       perTensor(c, in[7], "y_zero_point"), element);
  return c.setOutput(0, y);
}

/// The convolution attributes shared by Conv, ConvInteger and QLinearConv.
struct ConvParams {
  SmallVector<int64_t> strides, dilations, pads;
  int64_t group;
};

FailureOr<ConvParams> readConvParams(NodeContext &node, RankedTensorType x,
                                     RankedTensorType w) {
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return node.emitError() << "expected x [N, C, spatial...] and w of the "
                               "same rank, got "
                            << x << " and " << w;
  int64_t spatial = x.getRank() - 2;
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  ConvParams p;
  SmallVector<int64_t> kernelAttr = node.intsAttr("kernel_shape");
  p.strides = node.intsAttr("strides");
  p.dilations = node.intsAttr("dilations");
  p.group = node.intAttr("group", 1);
  if (node.hadError() || failed(checkKernelShape(node, kernelAttr, kernel)))
    return failure();
  if (p.strides.empty())
    p.strides.assign(spatial, 1);
  if (p.dilations.empty())
    p.dilations.assign(spatial, 1);
  if (static_cast<int64_t>(p.strides.size()) != spatial ||
      static_cast<int64_t>(p.dilations.size()) != spatial)
    return node.emitError() << "expected " << spatial
                            << " strides and dilations";
  FailureOr<SmallVector<int64_t>> pads = resolvePads(
      node, x.getShape().drop_front(2), kernel, p.strides, p.dilations);
  if (failed(pads))
    return failure();
  p.pads = *pads;
  return p;
}

/// The integer convolution of ConvInteger and QLinearConv in f64:
/// conv(x - x_zero_point, w - w_zero_point), with w's zero point per tensor
/// or per output channel. Padding is 0 after the subtraction, which is
/// padding x with its zero point.
Value integerConv(Compose &c, Value x, Value xZero, Value w, Value wZero) {
  NodeContext &node = c.context();
  auto xType = Compose::typeOf(x), wType = Compose::typeOf(w);
  FailureOr<ConvParams> p = readConvParams(node, xType, wType);
  if (failed(p))
    return c.fail();
  Value wz = wZero;
  if (wz && Compose::typeOf(wz).getNumElements() != 1) {
    auto type = Compose::typeOf(wz);
    if (type.getRank() != 1 || type.getDimSize(0) != wType.getDimSize(0)) {
      node.emitError() << "w_zero_point of type " << type
                       << " is neither per tensor nor per output channel";
      return c.fail();
    }
    SmallVector<int64_t> shape(wType.getRank(), 1);
    shape[0] = wType.getDimSize(0);
    wz = c.reshape(wz, shape);
  } else if (wz) {
    wz = c.reshape(wz, {});
  }
  Value input = centeredF64(c, x, perTensor(c, xZero, "x_zero_point"));
  Value filter = centeredF64(c, w, wz);
  if (!input || !filter)
    return c.fail();
  return c.take(node.create<sd::ConvOp>(input, filter, Value(), p->strides,
                                        p->dilations, p->pads, p->group));
}

/// MatMulInteger and ConvInteger: an integer product of two 8-bit operands
/// (named `names` in errors) less their zero points, accumulated in i32.
template <Value (*product)(Compose &, Value, Value, Value, Value)>
LogicalResult importIntegerProduct(NodeContext &node,
                                   std::pair<StringRef, StringRef> names) {
  FailureOr<Value> a = node.input(0), b = node.input(1);
  FailureOr<Value> aZero = node.optionalInput(2), bZero = node.optionalInput(3);
  if (failed(a) || failed(b) || failed(aZero) || failed(bZero) ||
      failed(check8Bit(node, *a, names.first)) ||
      failed(check8Bit(node, *b, names.second)))
    return failure();
  Compose c(node);
  Value y = c.convert(product(c, *a, *aZero, *b, *bZero),
                      IntegerType::get(node.context(), 32));
  return c.setOutput(0, y);
}

LogicalResult importMatMulInteger(NodeContext &node) {
  return importIntegerProduct<integerMatMul>(node, {"A", "B"});
}

LogicalResult importConvInteger(NodeContext &node) {
  return importIntegerProduct<integerConv>(node, {"x", "w"});
}

LogicalResult importQLinearConv(NodeContext &node) {
  SmallVector<Value, 9> in;
  for (unsigned i = 0; i < 9; ++i) {
    FailureOr<Value> v = i == 2 || i == 5 || i == 7 || i == 8
                             ? node.optionalInput(i)
                             : node.input(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  if (failed(check8Bit(node, in[0], "x")) ||
      failed(check8Bit(node, in[3], "w")))
    return failure();
  Type element = in[7] ? Compose::elementOf(in[7]) : Compose::elementOf(in[0]);
  if (!element.isInteger(8))
    return node.emitError() << "y_zero_point must be int8 or uint8, got "
                            << element;
  auto wType = Compose::typeOf(in[3]);
  int64_t channels = wType.getDimSize(0);
  Compose c(node);
  Value acc = integerConv(c, in[0], in[2], in[3], in[5]);
  if (in[8]) {
    auto biasType = Compose::typeOf(in[8]);
    if (biasType.getShape() != ArrayRef<int64_t>{channels} ||
        !biasType.getElementType().isSignlessInteger(32))
      return node.emitError() << "B must be int32 [" << channels << "], got "
                              << biasType;
    SmallVector<int64_t> shape(wType.getRank() - 1, 1);
    shape[0] = channels;
    acc = c.add(acc, c.reshape(centeredF64(c, in[8], Value()), shape));
  }
  // w's scale may be per output channel.
  Value scaleW = in[4];
  if (Compose::typeOf(scaleW).getNumElements() == 1) {
    scaleW = perTensor(c, scaleW, "w_scale");
  } else {
    auto type = Compose::typeOf(scaleW);
    if (type.getRank() != 1 || type.getDimSize(0) != channels)
      return node.emitError() << "w_scale of type " << type
                              << " is neither per tensor nor per output "
                                 "channel";
    SmallVector<int64_t> shape(wType.getRank() - 1, 1);
    shape[0] = channels;
    scaleW = c.reshape(scaleW, shape);
  }
  Value y = requantize(c, acc, perTensor(c, in[1], "x_scale"), scaleW,
                       perTensor(c, in[6], "y_scale"),
                       perTensor(c, in[7], "y_zero_point"), element);
  return c.setOutput(0, y);
}

} // namespace

void registerQuantImporters(ImporterTable &table) {
  table["QuantizeLinear"] = {importQuantizeLinear, 10};
  table["DequantizeLinear"] = {importDequantizeLinear, 10};
  table["DynamicQuantizeLinear"] = {importDynamicQuantizeLinear, 11};
  table["MatMulInteger"] = {importMatMulInteger, 10};
  table["ConvInteger"] = {importConvInteger, 10};
  table["QLinearMatMul"] = {importQLinearMatMul, 10};
  table["QLinearConv"] = {importQLinearConv, 10};
}

} // namespace sinter::onnx_import
