// ONNX data types of named values, for the ops whose meaning depends on a sub-byte type that its i8/ui8 carrier hides.
#ifndef SINTER_FRONTEND_ONNX_DATATYPES_H
#define SINTER_FRONTEND_ONNX_DATATYPES_H

#include "frontend/onnx/Importer.h"

namespace sinter::onnx_import {

/// The ONNX data type of value `name`, as the graphs being imported declare
/// it (inputs, outputs, value_info, initializers) or as the node producing it
/// fixes it (Cast, Constant, QuantizeLinear, data movement); 0 when unknown.
int32_t onnxDataType(NodeContext &node, llvm::StringRef name);

/// sinter.narrow_cast `x` to `format` ("int4", ..., "float4e2m1", "float8")
/// with result element type `element`; from "float4e2m1" when `decode`.
mlir::FailureOr<mlir::Value> narrowCast(NodeContext &node, mlir::Value x,
                                        mlir::Type element,
                                        llvm::StringRef format, bool decode);

} // namespace sinter::onnx_import

#endif // SINTER_FRONTEND_ONNX_DATATYPES_H
