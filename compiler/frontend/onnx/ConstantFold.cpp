// Folding of small constants, so that shape computations in a graph resolve to the static shapes Sinter needs.
#include "frontend/onnx/Importer.h"

#include "mlir/Dialect/Traits.h"

#include <cmath>

using namespace mlir;

namespace sinter::onnx_import {

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

namespace {

/// Row-major strides of `shape`.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Steps `index` through `shape` in row-major order; false after the last.
bool advance(MutableArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (++index[d] < shape[d])
      return true;
    index[d] = 0;
  }
  return false;
}

/// For every element of the broadcast `result` shape, the linear offset of the
/// element of `source` it reads.
SmallVector<int64_t> broadcastOffsets(ArrayRef<int64_t> result,
                                      ArrayRef<int64_t> source) {
  SmallVector<int64_t> strides = stridesOf(source);
  size_t lead = result.size() - source.size();
  SmallVector<int64_t> offsets;
  if (product(result) == 0)
    return offsets;
  SmallVector<int64_t> index(result.size(), 0);
  do {
    int64_t offset = 0;
    for (size_t d = 0; d < source.size(); ++d)
      if (source[d] != 1)
        offset += index[d + lead] * strides[d];
    offsets.push_back(offset);
  } while (advance(index, result));
  return offsets;
}

SmallVector<Attribute> elementsOf(DenseElementsAttr attr) {
  return llvm::to_vector(attr.getValues<Attribute>());
}

int64_t toInt64(const APInt &value, Type element) {
  auto type = cast<IntegerType>(element);
  if (type.isUnsigned() || type.getWidth() == 1)
    return static_cast<int64_t>(value.getZExtValue());
  return value.getSExtValue();
}

double toDouble(APFloat value) {
  bool lost;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return value.convertToDouble();
}

} // namespace

ElementNumber numberOf(Attribute element) {
  if (auto f = dyn_cast<FloatAttr>(element))
    return {true, f.getValueAsDouble(), 0};
  auto i = cast<IntegerAttr>(element);
  int64_t v = toInt64(i.getValue(), i.getType());
  return {false, static_cast<double>(v), v};
}

Attribute scalarAttr(Type element, double value) {
  if (auto floatType = dyn_cast<FloatType>(element))
    return FloatAttr::get(floatType, value);
  unsigned width = cast<IntegerType>(element).getWidth();
  if (width == 1)
    return IntegerAttr::get(element, APInt(1, value != 0.0));
  int64_t integral =
      std::isfinite(value)
          ? static_cast<int64_t>(std::clamp(std::trunc(value), -9.2e18, 9.2e18))
          : 0;
  return IntegerAttr::get(element, APInt(width, static_cast<uint64_t>(integral),
                                         /*isSigned=*/true,
                                         /*implicitTrunc=*/true));
}

bool isFoldable(DenseElementsAttr attr) {
  return attr && attr.getNumElements() <= kMaxFoldElements;
}

SmallVector<int64_t> toInt64s(DenseElementsAttr attr) {
  SmallVector<int64_t> values;
  Type element = attr.getElementType();
  for (const APInt &value : attr.getValues<APInt>())
    values.push_back(toInt64(value, element));
  return values;
}

DenseElementsAttr makeIntAttr(ArrayRef<int64_t> values, ArrayRef<int64_t> shape,
                              Type elementType) {
  unsigned width = cast<IntegerType>(elementType).getWidth();
  SmallVector<APInt> bits;
  for (int64_t value : values)
    bits.push_back(width == 1 ? APInt(1, value != 0)
                              : APInt(width, static_cast<uint64_t>(value),
                                      /*isSigned=*/true,
                                      /*implicitTrunc=*/true));
  return DenseElementsAttr::get(RankedTensorType::get(shape, elementType),
                                bits);
}

DenseElementsAttr foldCast(DenseElementsAttr attr, Type to) {
  Type from = attr.getElementType();
  auto type = RankedTensorType::get(attr.getType().getShape(), to);
  if (from == to)
    return attr;
  if (auto floatType = dyn_cast<FloatType>(to)) {
    const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
    SmallVector<APFloat> values;
    if (isa<FloatType>(from)) {
      for (APFloat value : attr.getValues<APFloat>()) {
        bool lost;
        value.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
        values.push_back(value);
      }
    } else {
      for (int64_t value : toInt64s(attr)) {
        APFloat converted(semantics);
        converted.convertFromAPInt(APInt(64, static_cast<uint64_t>(value),
                                         /*isSigned=*/true),
                                   /*IsSigned=*/true,
                                   APFloat::rmNearestTiesToEven);
        values.push_back(converted);
      }
    }
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<int64_t> values;
  if (isa<FloatType>(from)) {
    for (const APFloat &value : attr.getValues<APFloat>()) {
      double d = toDouble(value);
      if (to.isInteger(1))
        values.push_back(d != 0.0);
      else if (std::isnan(d))
        values.push_back(0);
      else
        values.push_back(static_cast<int64_t>(
            std::trunc(std::clamp(d, -9.2e18, 9.2e18))));
    }
  } else {
    values = toInt64s(attr);
    if (to.isInteger(1))
      for (int64_t &value : values)
        value = value != 0;
  }
  return makeIntAttr(values, type.getShape(), to);
}

FailureOr<DenseElementsAttr>
foldIntElementwise(ArrayRef<DenseElementsAttr> inputs, Type resultElement,
                   function_ref<std::optional<int64_t>(ArrayRef<int64_t>)> fn) {
  SmallVector<int64_t> shape;
  for (DenseElementsAttr input : inputs) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, input.getType().getShape(),
                                            next))
      return DenseElementsAttr();
    shape = next;
  }
  if (product(shape) > kMaxFoldElements)
    return DenseElementsAttr();
  SmallVector<SmallVector<int64_t>> values, offsets;
  for (DenseElementsAttr input : inputs) {
    values.push_back(toInt64s(input));
    offsets.push_back(broadcastOffsets(shape, input.getType().getShape()));
  }
  SmallVector<int64_t> result, operands(inputs.size());
  for (int64_t i = 0, e = product(shape); i < e; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k)
      operands[k] = values[k][offsets[k][i]];
    std::optional<int64_t> value = fn(operands);
    if (!value)
      return failure();
    result.push_back(*value);
  }
  return makeIntAttr(result, shape, resultElement);
}

DenseElementsAttr
foldElementwise(ArrayRef<DenseElementsAttr> inputs, Type resultElement,
                function_ref<Attribute(ArrayRef<Attribute>)> fn) {
  SmallVector<int64_t> shape;
  for (DenseElementsAttr input : inputs) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, input.getType().getShape(),
                                            next))
      return {};
    shape = next;
  }
  if (product(shape) > kMaxFoldElements)
    return {};
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<SmallVector<int64_t>> offsets;
  for (DenseElementsAttr input : inputs) {
    values.push_back(elementsOf(input));
    offsets.push_back(broadcastOffsets(shape, input.getType().getShape()));
  }
  SmallVector<Attribute> result, operands(inputs.size());
  for (int64_t i = 0, e = product(shape); i < e; ++i) {
    for (size_t k = 0; k < inputs.size(); ++k)
      operands[k] = values[k][offsets[k][i]];
    Attribute value = fn(operands);
    if (!value)
      return {};
    result.push_back(value);
  }
  return DenseElementsAttr::get(RankedTensorType::get(shape, resultElement),
                                result);
}

DenseElementsAttr foldGather(DenseElementsAttr data, ArrayRef<int64_t> indices,
                             ArrayRef<int64_t> indicesShape, int64_t axis) {
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t outer = product(shape.take_front(axis));
  int64_t inner = product(shape.drop_front(axis + 1));
  int64_t dim = shape[axis];
  SmallVector<Attribute> source = elementsOf(data), result;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices)
      for (int64_t i = 0; i < inner; ++i)
        result.push_back(source[(o * dim + index) * inner + i]);
  SmallVector<int64_t> resultShape(shape.take_front(axis));
  llvm::append_range(resultShape, indicesShape);
  llvm::append_range(resultShape, shape.drop_front(axis + 1));
  return DenseElementsAttr::get(
      RankedTensorType::get(resultShape, data.getElementType()), result);
}

DenseElementsAttr foldConcat(ArrayRef<DenseElementsAttr> parts, int64_t axis) {
  SmallVector<int64_t> shape(parts.front().getType().getShape());
  shape[axis] = 0;
  for (DenseElementsAttr part : parts)
    shape[axis] += part.getType().getDimSize(axis);
  int64_t outer = product(ArrayRef<int64_t>(shape).take_front(axis));
  SmallVector<SmallVector<Attribute>> sources;
  for (DenseElementsAttr part : parts)
    sources.push_back(elementsOf(part));
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o)
    for (auto [part, source] : llvm::zip(parts, sources)) {
      int64_t chunk = product(part.getType().getShape().drop_front(axis));
      result.append(source.begin() + o * chunk,
                    source.begin() + (o + 1) * chunk);
    }
  return DenseElementsAttr::get(
      RankedTensorType::get(shape, parts.front().getElementType()), result);
}

DenseElementsAttr foldSlice(DenseElementsAttr attr, ArrayRef<int64_t> starts,
                            ArrayRef<int64_t> sizes, ArrayRef<int64_t> steps) {
  auto type = RankedTensorType::get(sizes, attr.getElementType());
  SmallVector<Attribute> result;
  if (product(sizes) > 0) {
    SmallVector<Attribute> source = elementsOf(attr);
    SmallVector<int64_t> strides = stridesOf(attr.getType().getShape());
    SmallVector<int64_t> index(sizes.size(), 0);
    do {
      int64_t offset = 0;
      for (size_t d = 0; d < sizes.size(); ++d)
        offset += (starts[d] + index[d] * steps[d]) * strides[d];
      result.push_back(source[offset]);
    } while (advance(index, sizes));
  }
  return DenseElementsAttr::get(type, result);
}

DenseElementsAttr foldTranspose(DenseElementsAttr attr,
                                ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> shape = attr.getType().getShape();
  SmallVector<int64_t> resultShape;
  for (int64_t p : perm)
    resultShape.push_back(shape[p]);
  auto type = RankedTensorType::get(resultShape, attr.getElementType());
  SmallVector<Attribute> result;
  if (product(shape) > 0) {
    SmallVector<Attribute> source = elementsOf(attr);
    SmallVector<int64_t> strides = stridesOf(shape);
    SmallVector<int64_t> index(perm.size(), 0);
    do {
      int64_t offset = 0;
      for (size_t d = 0; d < perm.size(); ++d)
        offset += index[d] * strides[perm[d]];
      result.push_back(source[offset]);
    } while (advance(index, resultShape));
  }
  return DenseElementsAttr::get(type, result);
}

} // namespace sinter::onnx_import
