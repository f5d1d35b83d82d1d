// The documented element types and limits of each ONNX operator the importer handles.
#ifndef SINTER_FRONTEND_ONNX_OPSUPPORT_H
#define SINTER_FRONTEND_ONNX_OPSUPPORT_H

#include "llvm/ADT/StringRef.h"

namespace sinter::onnx_import {

struct OpNotes {
  /// Element types, from the groups "float" (f32 f16 bf16 f64), "int"
  /// (i8 u8 i16 u16 i32 u32 i64 u64) and "bool", or single types.
  const char *dtypes;
  /// What is refused; empty when nothing is.
  const char *limits;
};

/// The notes of `opType`, or null when it has none.
const OpNotes *findOpNotes(llvm::StringRef opType);

} // namespace sinter::onnx_import

#endif // SINTER_FRONTEND_ONNX_OPSUPPORT_H
