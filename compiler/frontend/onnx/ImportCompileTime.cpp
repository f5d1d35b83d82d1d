// ONNX ops the sinter dialect has no runtime form for, evaluated when their inputs are compile-time constants: none are left.
#include "frontend/onnx/Importer.h"

namespace sinter::onnx_import {

// Trilu, the last op here, moved to ImportSelection.cpp with a runtime form;
// this file and its registration can go.
void registerCompileTimeImporters(ImporterTable &) {}

} // namespace sinter::onnx_import
