// Normalization ops: batch norm (inference), layer norm and softmax.
#ifndef SINTER_NORM_OPS_TD
#define SINTER_NORM_OPS_TD

include "sinter/Dialect/SinterDialect.td"

def Sinter_BatchNormOp : Sinter_Op<"batch_norm", [
    AllTypesMatch<["input", "output"]>]> {
  let summary = "inference-mode batch normalization, channels first";
  let description = [{
    `(x - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c]` for
    `x` of shape `[N, C, ...]`; the four parameters are `[C]`.

    Example:
    ```mlir
    %y = sinter.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
        : tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, Sinter_FloatTensor:$scale,
                   Sinter_FloatTensor:$bias, Sinter_FloatTensor:$mean,
                   Sinter_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` type($input)
    `,` type($scale) `,` type($bias) `,` type($mean) `,` type($variance)
  }];
  let hasVerifier = 1;
}

def Sinter_LayerNormOp : Sinter_Op<"layer_norm", [
    AllTypesMatch<["input", "output"]>]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes `input` over dimensions `axis..rank-1` to zero mean and unit
    variance (`epsilon` added to the variance), then scales by `scale` and adds
    the optional `bias`; both broadcast against those trailing dimensions.

    Example:
    ```mlir
    %y = sinter.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32}
        : tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, Sinter_FloatTensor:$scale,
                   Optional<Sinter_FloatTensor>:$bias, I64Attr:$axis,
                   F32Attr:$epsilon);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` type($input) `,` type($scale)
    (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

def Sinter_SoftmaxOp : Sinter_Op<"softmax", [SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (negative counts from the
    end), computed stably.

    Example:
    ```mlir
    %y = sinter.softmax %x {axis = -1 : i64} : tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // SINTER_NORM_OPS_TD
