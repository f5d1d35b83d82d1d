// Linear-algebra ops: batched matmul and N-d convolution.
#ifndef SINTER_LINEAR_OPS_TD
#define SINTER_LINEAR_OPS_TD

include "sinter/Dialect/SinterDialect.td"

def Sinter_MatMulOp : Sinter_Op<"matmul", [
    InferTypeOpAdaptor]> {
  let summary = "batched matrix product with broadcast batch dimensions";
  let description = [{
    `lhs` is `[..., M, K]`, `rhs` is `[..., K, N]`, the result `[..., M, N]`.
    Both operands have rank 2 or more; their leading (batch) dimensions
    broadcast as in numpy. Frontends turn 1-D operands into matrices first.

    Example:
    ```mlir
    %c = sinter.matmul %a, %b : tensor<8x4x16xf32>, tensor<16x32xf32> -> tensor<8x4x32xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$lhs, Sinter_FloatTensor:$rhs);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

def Sinter_ConvOp : Sinter_Op<"conv", [
    InferTypeOpAdaptor]> {
  let summary = "grouped N-d convolution, channels first";
  let description = [{
    `input` is `[N, C, spatial...]`, `filter` is `[F, C / group, kernel...]`,
    the optional `bias` is `[F]`; the result is `[N, F, out...]` with
    `out = (in + pad_begin + pad_end - dilation * (kernel - 1) - 1) / stride + 1`.
    `pads` holds every spatial dimension's begin padding, then every end padding
    (ONNX's order). `group` splits channels: `C` and `F` must both divide by it.

    Example:
    ```mlir
    %y = sinter.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>,
                                 pads = array<i64: 1, 1, 1, 1>, group = 1 : i64}
        : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, Sinter_FloatTensor:$filter,
                   Optional<Sinter_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$pads, I64Attr:$group);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` type(operands) `->` type($output)
  }];
}

#endif // SINTER_LINEAR_OPS_TD
