// Element access on constant tensors for the graph folds: typed reads and writes of raw DenseElementsAttr data, strided walks and copies.
#include "transforms/ConstantData.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>
#include <memory>

using namespace mlir;

namespace mlir::sinter::fold {

bool isSupportedElement(Type element) {
  if (element.isF16() || element.isBF16() || element.isF32() ||
      element.isF64())
    return true;
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer)
    return false;
  unsigned bits = integer.getWidth();
  // ui64 is left out: its values do not all fit the int64_t the folds use.
  if (integer.isUnsigned())
    return bits == 8 || bits == 16 || bits == 32;
  return !integer.isSigned() &&
         (bits == 1 || bits == 8 || bits == 16 || bits == 32 || bits == 64);
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> operand,
                                      ArrayRef<int64_t> result) {
  SmallVector<int64_t> own = stridesOf(operand);
  SmallVector<int64_t> strides(result.size(), 0);
  size_t lead = result.size() - operand.size();
  for (size_t d = 0; d < operand.size(); ++d)
    if (operand[d] != 1 || result[d + lead] == 1)
      strides[d + lead] = own[d];
  return strides;
}

bool walk(ArrayRef<int64_t> shape, ArrayRef<SmallVector<int64_t>> strides,
          function_ref<bool(ArrayRef<int64_t>)> fn) {
  if (numElements(shape) == 0)
    return true;
  int64_t rank = shape.size();
  size_t count = strides.size();
  SmallVector<int64_t> index(rank, 0), offsets(count, 0);
  while (true) {
    if (!fn(offsets))
      return false;
    // Odometer step: bump the last dimension, carrying into earlier ones.
    int64_t d = rank - 1;
    for (; d >= 0; --d) {
      if (++index[d] < shape[d]) {
        for (size_t k = 0; k < count; ++k)
          offsets[k] += strides[k][d];
        break;
      }
      for (size_t k = 0; k < count; ++k)
        offsets[k] -= strides[k][d] * (shape[d] - 1);
      index[d] = 0;
    }
    if (d < 0)
      return true;
  }
}

double maximumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) ? a : b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

double minimumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) ? a : b;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

//===----------------------------------------------------------------------===//
// ElementReader
//===----------------------------------------------------------------------===//

ElementReader::ElementReader(DenseElementsAttr attr)
    : splat(attr.isSplat()), data(nullptr) {
  Type element = attr.getElementType();
  floating = isa<FloatType>(element);
  if (element.isF16())
    kind = Kind::F16;
  else if (element.isBF16())
    kind = Kind::BF16;
  else if (element.isF32())
    kind = Kind::F32;
  else if (element.isF64())
    kind = Kind::F64;
  else if (element.isInteger(1))
    kind = Kind::I1;
  else if (element.isUnsignedInteger(8))
    kind = Kind::U8;
  else if (element.isUnsignedInteger(16))
    kind = Kind::U16;
  else if (element.isUnsignedInteger(32))
    kind = Kind::U32;
  else if (element.isInteger(8))
    kind = Kind::I8;
  else if (element.isInteger(16))
    kind = Kind::I16;
  else if (element.isInteger(32))
    kind = Kind::I32;
  else
    kind = Kind::I64;
  if (kind == Kind::I1) {
    // i1 is bit-packed in raw storage; unpack once.
    width = 1;
    if (splat)
      bools.push_back(attr.getSplatValue<bool>());
    else
      for (bool b : attr.getValues<bool>())
        bools.push_back(b);
    return;
  }
  width = element.getIntOrFloatBitWidth() / 8;
  data = attr.getRawData().data();
}

template <typename T> static T load(const char *p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

static double fromBits(const llvm::fltSemantics &semantics, uint16_t bits) {
  return APFloat(semantics, APInt(16, bits)).convertToDouble();
}

double ElementReader::getFloat(int64_t i) const {
  const char *p = at(i);
  switch (kind) {
  case Kind::F16:
    return fromBits(APFloat::IEEEhalf(), load<uint16_t>(p));
  case Kind::BF16: {
    // bf16 is the top half of an f32.
    uint32_t bits = static_cast<uint32_t>(load<uint16_t>(p)) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    return f;
  }
  case Kind::F32:
    return load<float>(p);
  case Kind::F64:
    return load<double>(p);
  default:
    return static_cast<double>(getInt(i));
  }
}

int64_t ElementReader::getInt(int64_t i) const {
  const char *p = at(i);
  switch (kind) {
  case Kind::I1:
    return *p != 0;
  case Kind::U8:
    return load<uint8_t>(p);
  case Kind::U16:
    return load<uint16_t>(p);
  case Kind::U32:
    return load<uint32_t>(p);
  case Kind::I8:
    return load<int8_t>(p);
  case Kind::I16:
    return load<int16_t>(p);
  case Kind::I32:
    return load<int32_t>(p);
  case Kind::I64:
    return load<int64_t>(p);
  default:
    return static_cast<int64_t>(getFloat(i));
  }
}

//===----------------------------------------------------------------------===//
// ElementWriter
//===----------------------------------------------------------------------===//

ElementWriter::ElementWriter(RankedTensorType type) : type(type) {
  Type element = type.getElementType();
  width = element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
  bytes.resize(numElements(type.getShape()) * width);
}

template <typename T> static void store(char *p, T value) {
  std::memcpy(p, &value, sizeof(T));
}

static void storeAPFloat(char *p, const APFloat &value, unsigned width) {
  uint64_t bits = value.bitcastToAPInt().getZExtValue();
  if (width == 2)
    store<uint16_t>(p, static_cast<uint16_t>(bits));
  else if (width == 4)
    store<uint32_t>(p, static_cast<uint32_t>(bits));
  else
    store<uint64_t>(p, bits);
}

void ElementWriter::setFloat(int64_t i, double value) {
  char *p = bytes.data() + i * width;
  Type element = type.getElementType();
  if (element.isF32())
    return store<float>(p, static_cast<float>(value));
  if (element.isF64())
    return store<double>(p, value);
  APFloat converted(value);
  bool lost;
  converted.convert(cast<FloatType>(element).getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &lost);
  storeAPFloat(p, converted, width);
}

void ElementWriter::setFloatFromInt(int64_t i, int64_t value) {
  // Every integer up to 2^53 is exact in a double, so one rounding follows.
  constexpr int64_t exact = int64_t(1) << 53;
  if (value >= -exact && value <= exact)
    return setFloat(i, static_cast<double>(value));
  APFloat converted(
      cast<FloatType>(type.getElementType()).getFloatSemantics());
  converted.convertFromAPInt(APInt(64, static_cast<uint64_t>(value), true),
                             /*IsSigned=*/true, APFloat::rmNearestTiesToEven);
  storeAPFloat(bytes.data() + i * width, converted, width);
}

void ElementWriter::setInt(int64_t i, int64_t value) {
  char *p = bytes.data() + i * width;
  auto bits = static_cast<uint64_t>(value);
  if (type.getElementType().isInteger(1))
    *p = static_cast<char>(bits & 1);
  else if (width == 1)
    store<uint8_t>(p, static_cast<uint8_t>(bits));
  else if (width == 2)
    store<uint16_t>(p, static_cast<uint16_t>(bits));
  else if (width == 4)
    store<uint32_t>(p, static_cast<uint32_t>(bits));
  else
    store<uint64_t>(p, bits);
}

DenseElementsAttr ElementWriter::finish() const {
  return fromBytes(type, bytes);
}

//===----------------------------------------------------------------------===//
// Byte-level data movement
//===----------------------------------------------------------------------===//

ElementBytes::ElementBytes(DenseElementsAttr attr) {
  Type element = attr.getElementType();
  int64_t count = attr.getNumElements();
  if (element.isInteger(1)) {
    width = 1;
    if (attr.isSplat())
      storage.assign(count, attr.getSplatValue<bool>());
    else
      for (bool b : attr.getValues<bool>())
        storage.push_back(b);
    data = storage;
    return;
  }
  width = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = attr.getRawData();
  if (!attr.isSplat()) {
    data = raw;
    return;
  }
  storage.resize(count * width);
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(storage.data() + i * width, raw.data(), width);
  data = storage;
}

DenseElementsAttr fromBytes(RankedTensorType type, ArrayRef<char> bytes) {
  if (!type.getElementType().isInteger(1))
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  auto bools = std::make_unique<bool[]>(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i)
    bools[i] = bytes[i] != 0;
  return DenseElementsAttr::get(type,
                                ArrayRef<bool>(bools.get(), bytes.size()));
}

std::vector<char> stridedCopy(const ElementBytes &source,
                              ArrayRef<int64_t> shape,
                              const SmallVector<int64_t> &strides,
                              int64_t base) {
  unsigned width = source.width;
  std::vector<char> result(numElements(shape) * width);
  char *out = result.data();
  const char *in = source.data.data() + base * width;
  walk(shape, strides, [&](ArrayRef<int64_t> offsets) {
    std::memcpy(out, in + offsets[0] * width, width);
    out += width;
    return true;
  });
  return result;
}

} // namespace mlir::sinter::fold
