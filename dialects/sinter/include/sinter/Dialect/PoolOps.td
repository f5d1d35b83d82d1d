// Pooling ops: windowed max and average, and global average.
#ifndef SINTER_POOL_OPS_TD
#define SINTER_POOL_OPS_TD

include "sinter/Dialect/SinterDialect.td"

class Sinter_WindowPoolOp<string mnemonic, string fn>
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
  let arguments = (ins Sinter_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_MaxPoolOp : Sinter_WindowPoolOp<"max_pool", "maximum">;
def Sinter_AvgPoolOp : Sinter_WindowPoolOp<"avg_pool", "mean">;

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
