// ONNX TensorProto to DenseElementsAttr: element types, raw and typed data, and the size checks that keep a corrupt file from being read out of bounds.
#include "frontend/onnx/Importer.h"

#include <cstring>

using namespace mlir;

namespace sinter::onnx_import {

Type convertElementType(MLIRContext *context, int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  // The 8-bit floats, newer than the installed ONNX headers.
  case 17:
    return b.getType<Float8E4M3FNType>();
  case 18:
    return b.getType<Float8E4M3FNUZType>();
  case 19:
    return b.getType<Float8E5M2Type>();
  case 20:
    return b.getType<Float8E5M2FNUZType>();
  case 24:
    return b.getType<Float8E8M0FNUType>();
  // The sub-byte types travel in 8-bit carriers, one element per byte (see
  // sinter.narrow_cast): INT4 and INT2 sign-extended in i8, UINT4, UINT2 and
  // FLOAT4E2M1's bit pattern in ui8.
  case 22:
  case 26:
    return b.getIntegerType(8);
  case 21:
  case 23:
  case 25:
    return b.getIntegerType(8, /*isSigned=*/false);
  default:
    return {};
  }
}

StringRef subByteFormat(int32_t dataType) {
  switch (dataType) {
  case 21:
    return "uint4";
  case 22:
    return "int4";
  case 23:
    return "float4e2m1";
  case 25:
    return "uint2";
  case 26:
    return "int2";
  default:
    return {};
  }
}

std::string dataTypeName(int32_t dataType) {
  if (onnx::TensorProto::DataType_IsValid(dataType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(dataType));
  // Types newer than the installed ONNX headers.
  switch (dataType) {
  case 17:
    return "FLOAT8E4M3FN";
  case 18:
    return "FLOAT8E4M3FNUZ";
  case 19:
    return "FLOAT8E5M2";
  case 20:
    return "FLOAT8E5M2FNUZ";
  case 21:
    return "UINT4";
  case 22:
    return "INT4";
  case 23:
    return "FLOAT4E2M1";
  case 24:
    return "FLOAT8E8M0";
  case 25:
    return "UINT2";
  case 26:
    return "INT2";
  default:
    return "data type " + std::to_string(dataType);
  }
}

namespace {

/// Copies typed values into the element type's storage, truncating to its
/// width (ONNX stores int8/int16/uint8/uint16/bool and the 16-bit float bit
/// patterns in int32_data, uint32/uint64 in uint64_data).
template <typename T>
DenseElementsAttr fromTypedValues(RankedTensorType type, const T &values) {
  Type element = type.getElementType();
  if (element.isInteger(1)) {
    SmallVector<bool> bools;
    for (auto value : values)
      bools.push_back(value != 0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(bools));
  }
  unsigned width = element.getIntOrFloatBitWidth() / 8;
  std::vector<char> buffer(values.size() * width);
  for (int i = 0, e = values.size(); i < e; ++i) {
    auto value = values.Get(i);
    char *slot = buffer.data() + size_t(i) * width;
    if (isa<FloatType>(element) && width == 4) {
      float f = static_cast<float>(value);
      std::memcpy(slot, &f, 4);
    } else if (isa<FloatType>(element) && width == 8) {
      double d = static_cast<double>(value);
      std::memcpy(slot, &d, 8);
    } else {
      uint64_t bits = static_cast<uint64_t>(static_cast<int64_t>(value));
      std::memcpy(slot, &bits, width); // little-endian: the low bytes
    }
  }
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(buffer.data(), buffer.size()));
}

/// Unpacks ONNX's packed sub-byte elements (low bits first, in raw_data or
/// one packed byte per int32_data value) into their carrier: one byte each,
/// the signed formats sign-extended.
FailureOr<DenseElementsAttr>
unpackSubByte(const onnx::TensorProto &tensor, RankedTensorType type,
              StringRef format, function_ref<InFlightDiagnostic()> error) {
  unsigned bits = format.ends_with("2") ? 2 : 4;
  int64_t elements = type.getNumElements();
  int64_t packed = (elements * bits + 7) / 8;
  std::vector<uint8_t> source;
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != packed)
      return error() << "holds " << raw.size() << " bytes of data, but "
                     << elements << " " << format << " elements need "
                     << packed;
    source.assign(raw.begin(), raw.end());
  } else {
    if (tensor.int32_data_size() != packed)
      return error() << "holds " << tensor.int32_data_size()
                     << " packed values, but " << elements << " " << format
                     << " elements need " << packed;
    for (int32_t v : tensor.int32_data())
      source.push_back(static_cast<uint8_t>(v));
  }
  bool isSigned = format == "int4" || format == "int2";
  unsigned mask = (1u << bits) - 1;
  std::vector<char> buffer(elements);
  for (int64_t i = 0; i < elements; ++i) {
    unsigned v = (source[i * bits / 8] >> (i * bits % 8)) & mask;
    if (isSigned && (v >> (bits - 1)))
      v |= ~mask;
    buffer[i] = static_cast<char>(v);
  }
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(buffer.data(), buffer.size()));
}

} // namespace

FailureOr<DenseElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                           Location loc, StringRef what) {
  MLIRContext *context = loc->getContext();
  // Initializers are named by their location already; attributes say which.
  auto error = [&]() {
    InFlightDiagnostic diag = emitError(loc);
    if (!what.empty())
      diag << what << ": ";
    return diag;
  };
  Type element = convertElementType(context, tensor.data_type());
  if (!element)
    return error() << "element type " << dataTypeName(tensor.data_type())
                   << " is not supported";
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL ||
      tensor.external_data_size() > 0)
    return error()
           << "the data is in an external file, which Sinter does not "
              "read; save the model with its tensors inside "
              "(onnx.save_model(model, path, save_as_external_data=False))";
  if (tensor.has_segment())
    return error() << "segmented tensors are not supported";

  SmallVector<int64_t> shape;
  int64_t elements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0)
      return error() << "invalid dimension " << dim;
    if (dim > kMaxTensorElements ||
        (dim > 0 && elements > kMaxTensorElements / dim))
      return error() << "too many elements";
    shape.push_back(dim);
    elements *= dim;
  }
  auto type = RankedTensorType::get(shape, element);
  if (elements == 0)
    return DenseElementsAttr::get(type, ArrayRef<Attribute>());

  StringRef format = subByteFormat(tensor.data_type());
  if (!format.empty())
    return unpackSubByte(tensor, type, format, error);

  int64_t width =
      element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != elements * width)
      return error() << "holds " << raw.size()
                            << " bytes of data, but " << type << " needs "
                            << elements * width;
    if (element.isInteger(1)) {
      SmallVector<bool> bools;
      for (char byte : raw)
        bools.push_back(byte != 0);
      return DenseElementsAttr::get(type, ArrayRef<bool>(bools));
    }
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(raw.data(), raw.size()));
  }

  auto checkCount = [&](int count) -> LogicalResult {
    if (count == elements)
      return success();
    return error() << "holds " << count << " values, but "
                          << type << " needs " << elements;
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (mlir::failed(checkCount(tensor.float_data_size())))
      return failure();
    return fromTypedValues(type, tensor.float_data());
  case onnx::TensorProto::DOUBLE:
    if (mlir::failed(checkCount(tensor.double_data_size())))
      return failure();
    return fromTypedValues(type, tensor.double_data());
  case onnx::TensorProto::INT64:
    if (mlir::failed(checkCount(tensor.int64_data_size())))
      return failure();
    return fromTypedValues(type, tensor.int64_data());
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (mlir::failed(checkCount(tensor.uint64_data_size())))
      return failure();
    return fromTypedValues(type, tensor.uint64_data());
  default:
    // INT32 and everything narrower (UINT16 included), and the FLOAT16 and
    // BFLOAT16 bits.
    if (mlir::failed(checkCount(tensor.int32_data_size())))
      return failure();
    return fromTypedValues(type, tensor.int32_data());
  }
}

} // namespace sinter::onnx_import
