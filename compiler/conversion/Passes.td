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

def FuseElementwise : Pass<"sinter-fuse-elementwise"> {
  let summary = "Fuses elementwise linalg ops and reshapes, leaving named kernels named";
  let description = [{
    MLIR's elementwise fusion on tensors (producer generics into consumer
    generics, reshapes folded into the ops around them by expanding their
    loops, fills and splat constants folded into bodies, constant folding)
    with one difference: a reshape is never folded into or out of a named
    contraction or convolution (linalg.matmul, linalg.batch_matmul,
    linalg.conv_*, pooling). Upstream's pass expands such an op's loops to
    absorb the reshape, which turns it into a linalg.generic; elementwise
    producers then fuse into that generic, and the codegen's GEMM and conv
    kernels, which match the named ops, never see it. Here the reshape stays
    a reshape (a view after bufferization) and the kernel stays named.

    Example: the Flatten before a Gemm, `tensor.collapse_shape` of
    tensor<1x1x28x28xf32> into tensor<1x784xf32>, feeding
    `linalg.matmul ins(%flat, %w : tensor<1x784xf32>, tensor<784x512xf32>)`,
    stays as it is; upstream's pass would make a five-loop linalg.generic
    reading a tensor<1x28x28x512xf32> weight.
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"
  ];
}

#endif // SINTER_CONVERSION_PASSES_TD
