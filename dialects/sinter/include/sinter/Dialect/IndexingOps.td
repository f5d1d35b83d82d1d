// Indexing and selection ops: element gathers and scatters, arg-extrema, top-k, scans, triangles, sequence reversal.
#ifndef SINTER_INDEXING_OPS_TD
#define SINTER_INDEXING_OPS_TD

include "sinter/Dialect/SinterDialect.td"

//===----------------------------------------------------------------------===//
// Gathers: a bad index is wrapped once if negative, then clamped, so a read
// never leaves `data`.
//===----------------------------------------------------------------------===//

def Sinter_GatherElementsOp : Sinter_Op<"gather_elements", [
    InferTypeOpAdaptor]> {
  let summary = "picks one element along `axis` per index";
  let description = [{
    `data` and `indices` have the same rank; the result has the shape of
    `indices`. For rank 3 and `axis = 1`:
    `output[i][j][k] = data[i][indices[i][j][k]][k]`. Outside `axis` the
    dimensions of `indices` may not exceed those of `data`. A negative index
    counts from the end; one still out of range is clamped.

    Example:
    ```mlir
    %y = sinter.gather_elements %x, %i {axis = 1 : i64}
        : tensor<3x4xf32>, tensor<3x2xi64> -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$data, Sinter_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices) `->` type($output)
  }];
}

def Sinter_GatherNDOp : Sinter_Op<"gather_nd", [
    InferTypeOpAdaptor]> {
  let summary = "picks slices addressed by index tuples";
  let description = [{
    The last dimension of `indices` (size `m`) holds tuples that address
    dimensions `batch_dims .. batch_dims + m - 1` of `data`; the first
    `batch_dims` dimensions of both operands are shared batch dimensions.
    The result shape is `indices.shape[:-1] ++ data.shape[batch_dims + m:]`.
    A negative index counts from the end; one still out of range is clamped.

    Example:
    ```mlir
    %y = sinter.gather_nd %x, %i {batch_dims = 0 : i64}
        : tensor<4x5x6xf32>, tensor<3x2xi64> -> tensor<3x6xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$data, Sinter_IndexTensor:$indices,
                   I64Attr:$batch_dims);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Scatters: the result is `data` with updates applied in row-major order of
// the updates. A negative index counts from the end; an update whose index is
// still out of range is dropped, so a write never leaves the result.
//===----------------------------------------------------------------------===//

def Sinter_ScatterElementsOp : Sinter_Op<"scatter_elements", [
    InferTypeOpAdaptor]> {
  let summary = "writes one element along `axis` per index";
  let description = [{
    The inverse of `sinter.gather_elements`: `indices` and `updates` have the
    same shape and the rank of `data`; for rank 2 and `axis = 0`,
    `output[indices[i][j]][j] = reduce(output[indices[i][j]][j], updates[i][j])`.
    `reduction` is `none` (the update replaces the element; the last of
    duplicate indices wins), `add`, `mul`, `max` or `min`.

    Example:
    ```mlir
    %y = sinter.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = "add"}
        : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32> -> tensor<3x3xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$data, Sinter_IndexTensor:$indices,
                   Sinter_Tensor:$updates, I64Attr:$axis,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` type($data) `,`
    type($indices) `,` type($updates) `->` type($output)
  }];
}

def Sinter_ScatterNDOp : Sinter_Op<"scatter_nd", [
    InferTypeOpAdaptor]> {
  let summary = "writes slices addressed by index tuples";
  let description = [{
    The inverse of `sinter.gather_nd` without batch dimensions: each tuple in
    the last dimension of `indices` (size `m`) addresses a slice
    `data[i0, ..., i(m-1)]`, replaced by or combined with the matching slice of
    `updates`, whose shape is `indices.shape[:-1] ++ data.shape[m:]`.
    `reduction` is `none`, `add`, `mul`, `max` or `min`.

    Example:
    ```mlir
    %y = sinter.scatter_nd %x, %i, %u {reduction = "none"}
        : tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$data, Sinter_IndexTensor:$indices,
                   Sinter_Tensor:$updates,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` type($data) `,`
    type($indices) `,` type($updates) `->` type($output)
  }];
}

//===----------------------------------------------------------------------===//
// Selection along one axis
//===----------------------------------------------------------------------===//

class Sinter_ArgOp<string mnemonic, string which>
    : Sinter_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = "the index of the " # which # " along `axis`";
  let description = "The `i64` position along `axis` of the " # which #
    [{ element; ties go to the first position, or with
    `select_last_index` to the last. NaNs are never selected. With `keepdims`
    the axis stays as a 1, without it is removed.

    Example:
    ```mlir
    %i = sinter.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false,
        select_last_index = false} : tensor<2x8xf32> -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs StaticShapeTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_ArgMaxOp : Sinter_ArgOp<"argmax", "largest">;
def Sinter_ArgMinOp : Sinter_ArgOp<"argmin", "smallest">;

def Sinter_TopKOp : Sinter_Op<"topk", [InferTypeOpAdaptor]> {
  let summary = "the `k` largest or smallest elements along `axis`, in order";
  let description = [{
    `values` holds the `k` largest (or, with `largest = false`, smallest)
    elements along `axis`, best first, and `indices` their `i64` positions.
    Equal values keep the order of their positions, so the lower index comes
    first. `k` is between 0 and the size of `axis`. NaNs are never selected.

    Example:
    ```mlir
    %v, %i = sinter.topk %x {axis = 1 : i64, k = 2 : i64, largest = true}
        : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, I64Attr:$axis, I64Attr:$k,
                   DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs Sinter_Tensor:$values,
                 StaticShapeTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($values) `,` type($indices)
  }];
}

//===----------------------------------------------------------------------===//
// Scans
//===----------------------------------------------------------------------===//

class Sinter_ScanOp<string mnemonic, string fn>
    : Sinter_Op<mnemonic, [InferTypeOpAdaptor]> {
  let summary = "running " # fn # " along `axis`";
  let description = "Element `i` along `axis` is the " # fn # [{ of elements
    `0..i`. With `exclusive` element `i` itself is left out (the first
    result is the identity); with `reverse` the scan runs from the end.

    Example:
    ```mlir
    %y = sinter.}] # mnemonic # [{ %x {axis = 0 : i64, exclusive = false,
        reverse = false} : tensor<5xf32> -> tensor<5xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_CumSumOp : Sinter_ScanOp<"cumsum", "sum">;
def Sinter_CumProdOp : Sinter_ScanOp<"cumprod", "product">;

//===----------------------------------------------------------------------===//
// Position-dependent copies
//===----------------------------------------------------------------------===//

def Sinter_TriluOp : Sinter_Op<"trilu", [InferTypeOpAdaptor]> {
  let summary = "keeps the upper or lower triangle of the last two dimensions";
  let description = [{
    Element `[..., i, j]` is kept when `j - i >= k` (`upper`) or `j - i <= k`
    (lower) and is zero otherwise. The input has rank 2 or more.

    Example:
    ```mlir
    %y = sinter.trilu %x {k = 0 : i64, upper = false}
        : tensor<4x4xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, I64Attr:$k, BoolAttr:$upper);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Sinter_ReverseSequenceOp : Sinter_Op<"reverse_sequence", [
    InferTypeOpAdaptor]> {
  let summary = "reverses the first `sequence_lens[b]` steps of each batch entry";
  let description = [{
    For batch entry `b` (along `batch_axis`), the first `sequence_lens[b]`
    elements along `time_axis` are reversed and the rest copied. The axes are
    0 and 1 in either order; lengths are clamped to `[0, time size]`.

    Example:
    ```mlir
    %y = sinter.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64}
        : tensor<4x3x2xf32>, tensor<3xi64> -> tensor<4x3x2xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, Sinter_IndexTensor:$sequence_lens,
                   I64Attr:$batch_axis, I64Attr:$time_axis);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $sequence_lens attr-dict `:` type($input) `,`
    type($sequence_lens) `->` type($output)
  }];
}

#endif // SINTER_INDEXING_OPS_TD
