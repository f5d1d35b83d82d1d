// Casts to and from ONNX's sub-byte types (INT4, UINT4, INT2, UINT2, FLOAT4E2M1) and non-saturating casts to the 8-bit floats.
#ifndef SINTER_NARROW_OPS_TD
#define SINTER_NARROW_OPS_TD

include "sinter/Dialect/SinterDialect.td"

def Sinter_NarrowCastOp : Sinter_Op<"narrow_cast"> {
  let summary = "converts elements to or from a format that has no tensor element type";
  let description = [{
    Sinter keeps ONNX's sub-byte types one element per byte, in a carrier
    element type: `int4` and `int2` in `i8` (sign-extended), `uint4` and
    `uint2` in `ui8`, and `float4e2m1` as its bit pattern in the low four
    bits of a `ui8`. The carriers of the integer formats hold in-range
    values, so reading them is a plain `sinter.cast`; this op does what a
    plain cast cannot:

    - `to "int4" | "uint4" | "int2" | "uint2"`: ONNX Cast to the format.
      Floats truncate toward zero (NaN and infinities give 0), and then the
      value wraps around modulo 2^bits, as ONNX's reference (ml_dtypes)
      does. The result is the format's carrier.
    - `to "float4e2m1"`: round to nearest, ties to even, saturating at
      +-6; NaN gives the zero of the opposite sign, as ONNX's reference does.
      The result is `ui8`.
    - `to "float8"`: ONNX Cast with `saturate=0` to the result's 8-bit
      float type (not f8E8M0FNU): values that round past the largest finite
      one become infinity (f8E5M2) or NaN (the other three).
    - `from "float4e2m1"`: the value of a FLOAT4E2M1 pattern held in a `ui8`,
      converted to the result type with ONNX Cast semantics.

    Shapes must match.

    Example:
    ```mlir
    %q = sinter.narrow_cast %x to "int4" : tensor<4xf32> -> tensor<4xi8>
    %f = sinter.narrow_cast %p from "float4e2m1" : tensor<4xui8> -> tensor<4xf16>
    %e = sinter.narrow_cast %x to "float8" : tensor<4xf32> -> tensor<4xf8E5M2>
    ```
  }];
  let arguments = (ins Sinter_CastTensor:$input, OptionalAttr<StrAttr>:$from,
                       OptionalAttr<StrAttr>:$to);
  let results = (outs Sinter_CastTensor:$output);
  let assemblyFormat = [{
    $input (`from` $from^)? (`to` $to^)? attr-dict `:` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

#endif // SINTER_NARROW_OPS_TD
