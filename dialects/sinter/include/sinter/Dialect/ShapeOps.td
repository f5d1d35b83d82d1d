// Constants and data-movement ops: reshape, transpose, concat, slice, gather, cast.
#ifndef SINTER_SHAPE_OPS_TD
#define SINTER_SHAPE_OPS_TD

include "sinter/Dialect/SinterDialect.td"

def Sinter_ConstantOp : Sinter_Op<"constant", [ConstantLike,
    AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor (a weight or a folded value)";
  let description = [{
    Example:
    ```mlir
    %w = sinter.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Sinter_ReshapeOp : Sinter_Op<"reshape"> {
  let summary = "the same elements in row-major order, another shape";
  let description = [{
    The result type gives the new shape; the element count must not change.

    Example:
    ```mlir
    %y = sinter.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Sinter_FlattenOp : Sinter_Op<"flatten", [
    InferTypeOpAdaptor]> {
  let summary = "collapses to a matrix split before `axis`";
  let description = [{
    `[d0, ..., dn]` becomes `[d0 * ... * d(axis-1), d(axis) * ... * dn]`.
    Canonicalizes to `sinter.reshape`.

    Example:
    ```mlir
    %y = sinter.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, I64Attr:$axis);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
}

def Sinter_SqueezeOp : Sinter_Op<"squeeze", [
    InferTypeOpAdaptor]> {
  let summary = "removes unit dimensions";
  let description = [{
    Removes the listed dimensions, each of which must be 1. Canonicalizes to
    `sinter.reshape`.

    Example:
    ```mlir
    %y = sinter.squeeze %x {axes = array<i64: 0>} : tensor<1x4xf32> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
}

def Sinter_UnsqueezeOp : Sinter_Op<"unsqueeze", [
    InferTypeOpAdaptor]> {
  let summary = "inserts unit dimensions";
  let description = [{
    Inserts a dimension of size 1 at each listed position of the result.
    Canonicalizes to `sinter.reshape`.

    Example:
    ```mlir
    %y = sinter.unsqueeze %x {axes = array<i64: 0, 2>} : tensor<4xf32> -> tensor<1x4x1xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasCanonicalizer = 1;
}

def Sinter_TransposeOp : Sinter_Op<"transpose", [
    InferTypeOpAdaptor]> {
  let summary = "permutes dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    Example:
    ```mlir
    %y = sinter.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Sinter_ConcatOp : Sinter_Op<"concat", [
    InferTypeOpAdaptor]> {
  let summary = "joins tensors along one axis";
  let description = [{
    All inputs share an element type, a rank and every dimension but `axis`.

    Example:
    ```mlir
    %y = sinter.concat %a, %b {axis = 1 : i64} : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Sinter_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($output)";
  let hasFolder = 1;
}

def Sinter_SliceOp : Sinter_Op<"slice", [
    InferTypeOpAdaptor]> {
  let summary = "a strided window of a tensor";
  let description = [{
    One `start`, `size` and `step` per dimension, already clamped: element `i`
    of result dimension `d` is input element `starts[d] + i * steps[d]`. Steps are
    non-zero and may be negative.

    Example:
    ```mlir
    %y = sinter.slice %x {starts = array<i64: 0, 1>, sizes = array<i64: 2, 2>, steps = array<i64: 1, 2>}
        : tensor<2x6xf32> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def Sinter_GatherOp : Sinter_Op<"gather", [
    InferTypeOpAdaptor]> {
  let summary = "picks slices along `axis` by index";
  let description = [{
    For `data` of shape `[d0, ..., dn]` and `indices` of shape `I`, the result is
    `[d0, ..., d(axis-1), I..., d(axis+1), ..., dn]`. Negative indices count from
    the end; an index still out of range after that is clamped, so a bad index
    never reads outside `data`.

    Example:
    ```mlir
    %y = sinter.gather %table, %ids {axis = 0 : i64}
        : tensor<100x16xf32>, tensor<1x8xi64> -> tensor<1x8x16xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$data, Sinter_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices) `->` type($output)
  }];
}

def Sinter_CastOp : Sinter_Op<"cast"> {
  let summary = "converts every element to another element type";
  let description = [{
    Floats to integers truncate toward zero, as ONNX's Cast; to `i1` any non-zero
    value becomes true. Shapes must match. It is the only op on ONNX's 8-bit
    floats: casts to them saturate and round to nearest even (ONNX's default
    saturate=1), except to f8E8M0FNU, which rounds up.

    Example:
    ```mlir
    %y = sinter.cast %x : tensor<4xi64> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Sinter_CastTensor:$input);
  let results = (outs Sinter_CastTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Sinter_BitCastOp : Sinter_Op<"bitcast"> {
  let summary = "reinterprets every element's bits as another element type";
  let description = [{
    ONNX's BitCast: each element keeps its exact bit pattern and is read as
    the result's element type, which must have the same storage width (`i1`
    is stored as one byte, so it pairs with the 8-bit types; a non-zero byte
    read as `i1` is true). Shapes must match.

    Example:
    ```mlir
    %y = sinter.bitcast %x : tensor<4xf32> -> tensor<4xi32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$input);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // SINTER_SHAPE_OPS_TD
