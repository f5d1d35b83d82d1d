// Reductions over a set of axes.
#ifndef SINTER_REDUCE_OPS_TD
#define SINTER_REDUCE_OPS_TD

include "sinter/Dialect/SinterDialect.td"

class Sinter_ReduceOp<string mnemonic, string fn>
    : Sinter_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = "reduces by " # fn # " over `axes`";
  let description = "Reduces `input` by " # fn # [{ over the listed axes
    (non-negative, increasing, unique). With `keepdims` the reduced dimensions
    stay as 1s; without, they are removed.

    Example:
    ```mlir
    %y = sinter.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = true}
        : tensor<2x8xf32> -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_ReduceSumOp : Sinter_ReduceOp<"reduce_sum", "sum">;
def Sinter_ReduceMeanOp : Sinter_ReduceOp<"reduce_mean", "mean">;
def Sinter_ReduceMaxOp : Sinter_ReduceOp<"reduce_max", "maximum">;
def Sinter_ReduceMinOp : Sinter_ReduceOp<"reduce_min", "minimum">;
def Sinter_ReduceProdOp : Sinter_ReduceOp<"reduce_prod", "product">;

#endif // SINTER_REDUCE_OPS_TD
