// Pooling ops: windowed max and average, and global average.
#ifndef SINTER_POOL_OPS_TD
#define SINTER_POOL_OPS_TD

include "sinter/Dialect/SinterDialect.td"

class Sinter_WindowPoolOp<string mnemonic, string fn, Type tensor>
    : Sinter_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = fn # " over sliding windows, channels first";
  let description = "Takes the " # fn # [{ of each window of `kernel` over the
    spatial dimensions of `[N, C, spatial...]`. `pads` holds the begin pads of
    every spatial dimension, then the end pads. With `ceil_mode` the output size
    rounds up, and a window that would start in the end padding is dropped.
    Padding never contributes to a max; for an average it counts only when
    `count_include_pad` is set.

    Example:
    ```mlir
    %y = sinter.}] # mnemonic # [{ %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
        dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
        : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins tensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

// A maximum is exact on any element type, ONNX's MaxPool takes 8-bit integers.
def Sinter_MaxPoolOp
    : Sinter_WindowPoolOp<"max_pool", "maximum", Sinter_Tensor>;
def Sinter_AvgPoolOp
    : Sinter_WindowPoolOp<"avg_pool", "mean", Sinter_FloatTensor>;

def Sinter_MaxPoolIndicesOp : Sinter_Op<"max_pool_indices", [
    InferTypeOpAdaptor]> {
  let summary = "where each window's maximum is, as a flat index";
  let description = [{
    The windows of `sinter.max_pool` with the same attributes, but the result
    is the position of each window's maximum in `input` (ONNX MaxPool's
    Indices): the flat index over all of `[N, C, spatial...]`, with the
    spatial dimensions in row-major order, or column-major (the last spatial
    dimension varying slowest) when `column_major` is set. Padding never
    wins; among equal maxima the first in the window's row-major order wins.

    Example:
    ```mlir
    %i = sinter.max_pool_indices %x {kernel = array<i64: 2, 2>,
        strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>,
        pads = array<i64: 0, 0, 0, 0>}
        : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xi64>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$column_major);
  let results = (outs StaticShapeTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_GlobalAvgPoolOp : Sinter_Op<"global_avg_pool", [
    InferTypeOpAdaptor]> {
  let summary = "mean over all spatial dimensions, channels first";
  let description = [{
    `[N, C, spatial...]` becomes `[N, C, 1, ...]`.

    Example:
    ```mlir
    %y = sinter.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

#endif // SINTER_POOL_OPS_TD
