// Dialect conversions out of the sinter dialect.
#ifndef SINTER_CONVERSION_PASSES_TD
#define SINTER_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SinterToLinalg : Pass<"sinter-to-linalg", "ModuleOp"> {
  let summary = "Lowers sinter ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every sinter op becomes named linalg ops (matmul, convolution, pooling) or
    linalg.generic with explicit indexing maps, plus tensor ops for data
    movement; the result is destination-passing style on tensors, ready for
    fusion, tiling and bufferization. Fails on any op it cannot lower.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect"
  ];
}

#endif // SINTER_CONVERSION_PASSES_TD
