// Elementwise ops: unary math and activations, and binary ops with numpy broadcasting.
#ifndef SINTER_ELEMENTWISE_OPS_TD
#define SINTER_ELEMENTWISE_OPS_TD

include "sinter/Dialect/SinterDialect.td"

// Integer tensors: signless, unsigned and i1.
def Sinter_IntegerTensor : StaticShapeTensorOf<[Sinter_Int]>;

//===----------------------------------------------------------------------===//
// Unary ops: result type equals operand type.
//===----------------------------------------------------------------------===//

class Sinter_UnaryOp<string mnemonic, string fn, list<Trait> traits = []>
    : Sinter_Op<mnemonic, !listconcat(traits, [SameOperandsAndResultType])> {
  let summary = "elementwise " # fn;
  let description = "Applies " # fn # [{ to every element; the result has the
    operand's type.

    Example:
    ```mlir
    %y = sinter.}] # mnemonic # [{ %x : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Sinter_ReluOp : Sinter_UnaryOp<"relu", "max(x, 0)">;
def Sinter_SigmoidOp : Sinter_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def Sinter_TanhOp : Sinter_UnaryOp<"tanh", "the hyperbolic tangent">;
def Sinter_ExpOp : Sinter_UnaryOp<"exp", "the natural exponential">;
def Sinter_LogOp : Sinter_UnaryOp<"log", "the natural logarithm">;
def Sinter_SqrtOp : Sinter_UnaryOp<"sqrt", "the square root">;
def Sinter_ErfOp : Sinter_UnaryOp<"erf", "the Gauss error function">;
def Sinter_ReciprocalOp : Sinter_UnaryOp<"reciprocal", "1 / x">;
def Sinter_SinOp : Sinter_UnaryOp<"sin", "the sine">;
def Sinter_CosOp : Sinter_UnaryOp<"cos", "the cosine">;
def Sinter_TanOp : Sinter_UnaryOp<"tan", "the tangent">;
def Sinter_AsinOp : Sinter_UnaryOp<"asin", "the arcsine">;
def Sinter_AcosOp : Sinter_UnaryOp<"acos", "the arccosine">;
def Sinter_AtanOp : Sinter_UnaryOp<"atan", "the arctangent">;
def Sinter_SinhOp : Sinter_UnaryOp<"sinh", "the hyperbolic sine">;
def Sinter_CoshOp : Sinter_UnaryOp<"cosh", "the hyperbolic cosine">;
def Sinter_AsinhOp : Sinter_UnaryOp<"asinh", "the inverse hyperbolic sine">;
def Sinter_AcoshOp : Sinter_UnaryOp<"acosh", "the inverse hyperbolic cosine">;
def Sinter_AtanhOp : Sinter_UnaryOp<"atanh", "the inverse hyperbolic tangent">;
def Sinter_CeilOp : Sinter_UnaryOp<"ceil", "rounding toward +inf">;
def Sinter_FloorOp : Sinter_UnaryOp<"floor", "rounding toward -inf">;
def Sinter_RoundOp : Sinter_UnaryOp<"round",
    "rounding to the nearest integer, halves to even">;
def Sinter_SoftplusOp : Sinter_UnaryOp<"softplus", "log(1 + exp(x))">;
def Sinter_SoftsignOp : Sinter_UnaryOp<"softsign", "x / (1 + |x|)">;
def Sinter_MishOp : Sinter_UnaryOp<"mish", "x * tanh(softplus(x))">;
def Sinter_HardSwishOp : Sinter_UnaryOp<"hard_swish",
    "x * max(0, min(1, x / 6 + 1 / 2))">;

//===----------------------------------------------------------------------===//
// Unary ops on any numeric element type (integers included).
//===----------------------------------------------------------------------===//

class Sinter_NumericUnaryOp<string mnemonic, string fn, Type type = Sinter_Tensor>
    : Sinter_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = "elementwise " # fn;
  let description = "Applies " # fn # [{ to every element, of a float or an
    integer type (signed, unsigned, or `i1` where it makes sense); the result has
    the operand's type. Integers wrap around.

    Example:
    ```mlir
    %y = sinter.}] # mnemonic # [{ %x : tensor<2x3xi32>
    ```
  }];
  let arguments = (ins type:$input);
  let results = (outs type:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Sinter_NegOp : Sinter_NumericUnaryOp<"neg", "negation"> {
  let hasVerifier = 1;
}
def Sinter_AbsOp : Sinter_NumericUnaryOp<"abs", "the absolute value"> {
  let hasVerifier = 1;
}
def Sinter_BitwiseNotOp : Sinter_NumericUnaryOp<"bitwise_not",
    "the bitwise complement", Sinter_IntegerTensor>;

//===----------------------------------------------------------------------===//
// Activations with float parameters. f16/bf16 inputs are computed in f32 and
// rounded once, as ONNX's reference does.
//===----------------------------------------------------------------------===//

class Sinter_ActivationOp<string mnemonic, string fn, dag params,
                          string example>
    : Sinter_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = "elementwise " # fn;
  let description = "Computes " # fn # [{ for every element; the result has the
    operand's type.

    Example:
    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = !con((ins Sinter_FloatTensor:$input), params);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Sinter_EluOp : Sinter_ActivationOp<"elu",
    "`x` where `x >= 0`, `alpha * (exp(x) - 1)` elsewhere",
    (ins F32Attr:$alpha),
    "%y = sinter.elu %x {alpha = 1.0 : f32} : tensor<4xf32>">;
def Sinter_SeluOp : Sinter_ActivationOp<"selu",
    "`gamma * x` where `x > 0`, `gamma * alpha * (exp(x) - 1)` elsewhere",
    (ins F32Attr:$alpha, F32Attr:$gamma),
    "%y = sinter.selu %x {alpha = 1.67 : f32, gamma = 1.05 : f32} : tensor<4xf32>">;
def Sinter_CeluOp : Sinter_ActivationOp<"celu",
    "`max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`",
    (ins F32Attr:$alpha),
    "%y = sinter.celu %x {alpha = 1.0 : f32} : tensor<4xf32>"> {
  let hasVerifier = 1;
}
def Sinter_HardSigmoidOp : Sinter_ActivationOp<"hard_sigmoid",
    "`max(0, min(1, alpha * x + beta))`",
    (ins F32Attr:$alpha, F32Attr:$beta),
    "%y = sinter.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xf32>">;
def Sinter_ThresholdedReluOp : Sinter_ActivationOp<"thresholded_relu",
    "`x` where `x > alpha`, 0 elsewhere",
    (ins F32Attr:$alpha),
    "%y = sinter.thresholded_relu %x {alpha = 1.0 : f32} : tensor<4xf32>">;
def Sinter_ShrinkOp : Sinter_ActivationOp<"shrink",
    "`x + bias` where `x < -lambd`, `x - bias` where `x > lambd`, 0 between",
    (ins F32Attr:$lambd, F32Attr:$bias),
    "%y = sinter.shrink %x {lambd = 0.5 : f32, bias = 0.0 : f32} : tensor<4xf32>">;

def Sinter_LeakyReluOp : Sinter_Op<"leaky_relu", [SameOperandsAndResultType]> {
  let summary = "elementwise leaky relu";
  let description = [{
    `x` where `x >= 0`, `alpha * x` elsewhere.

    Example:
    ```mlir
    %y = sinter.leaky_relu %x {alpha = 0.01 : f32} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, F32Attr:$alpha);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Sinter_GeluOp : Sinter_Op<"gelu", [SameOperandsAndResultType]> {
  let summary = "elementwise gaussian error linear unit";
  let description = [{
    `x * Phi(x)`, with the exact erf form (`approximate = "none"`) or the tanh
    approximation (`approximate = "tanh"`).

    Example:
    ```mlir
    %y = sinter.gelu %x {approximate = "none"} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input,
                   DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Binary ops: numpy broadcasting, both operands of one element type.
//===----------------------------------------------------------------------===//

class Sinter_BinaryOp<string mnemonic, string fn, list<Trait> traits = [],
                      Type type = Sinter_Tensor, string element = "f32">
    : Sinter_Op<mnemonic, !listconcat(traits, [
          InferTypeOpAdaptor])> {
  let summary = "elementwise " # fn # " with numpy broadcasting";
  let description = "Computes " # fn # [{ element by element. The operands
    share an element type; their shapes broadcast as in numpy (dimensions are
    aligned from the right and each pair must be equal or contain a 1).

    Example:
    ```mlir
    %z = sinter.}] # mnemonic # [{ %x, %y : tensor<2x3x}] # element # [{>, tensor<3x}]
        # element # [{> -> tensor<2x3x}] # element # [{>
    ```
  }];
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
}

def Sinter_AddOp : Sinter_BinaryOp<"add", "lhs + rhs", [Commutative]> {
  let hasFolder = 1;
}
def Sinter_SubOp : Sinter_BinaryOp<"sub", "lhs - rhs">;
def Sinter_MulOp : Sinter_BinaryOp<"mul", "lhs * rhs", [Commutative]> {
  let hasFolder = 1;
}
def Sinter_DivOp : Sinter_BinaryOp<"div",
    "lhs / rhs (integers truncate toward zero, and give 0 for a zero divisor)">;
def Sinter_PowOp : Sinter_BinaryOp<"pow", "lhs raised to rhs">;
def Sinter_MaxOp : Sinter_BinaryOp<"max", "max(lhs, rhs)", [Commutative]>;
def Sinter_MinOp : Sinter_BinaryOp<"min", "min(lhs, rhs)", [Commutative]>;
def Sinter_BitwiseAndOp : Sinter_BinaryOp<"bitwise_and", "lhs & rhs",
    [Commutative], Sinter_IntegerTensor, "i32">;
def Sinter_BitwiseOrOp : Sinter_BinaryOp<"bitwise_or", "lhs | rhs",
    [Commutative], Sinter_IntegerTensor, "i32">;
def Sinter_BitwiseXorOp : Sinter_BinaryOp<"bitwise_xor", "lhs ^ rhs",
    [Commutative], Sinter_IntegerTensor, "i32">;
def Sinter_PReluOp : Sinter_BinaryOp<"prelu",
    "`lhs` where `lhs >= 0`, `lhs * rhs` (the slope) elsewhere", [],
    Sinter_FloatTensor>;

def Sinter_ModOp : Sinter_Op<"mod", [InferTypeOpAdaptor]> {
  let summary = "elementwise remainder with numpy broadcasting";
  let description = [{
    The remainder of `lhs / rhs`. With `fmod = false` it takes the divisor's
    sign (numpy's `mod`, Python's `%`); with `fmod = true` the dividend's (C's
    `fmod`, a truncating remainder). Integers modulo 0 give 0. The operands
    share an element type and broadcast as in numpy.

    Example:
    ```mlir
    %z = sinter.mod %x, %y {fmod = false} : tensor<6xi32>, tensor<6xi32> -> tensor<6xi32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$lhs, Sinter_Tensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Sinter_BitShiftOp : Sinter_Op<"bit_shift", [InferTypeOpAdaptor]> {
  let summary = "elementwise bit shift with numpy broadcasting";
  let description = [{
    Shifts `lhs` by `rhs` bits, `left` or `right` (arithmetic for signed
    integers, logical for unsigned). As in numpy, a count that is negative or
    not less than the bit width shifts every bit out: 0, or -1 for a right
    shift of a negative value.

    Example:
    ```mlir
    %z = sinter.bit_shift %x, %y {direction = "left"}
        : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
    ```
  }];
  let arguments = (ins Sinter_IntegerTensor:$lhs, Sinter_IntegerTensor:$rhs,
                   StrAttr:$direction);
  let results = (outs Sinter_IntegerTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Comparison and selection (ONNX's Equal, Less, ..., Not/And/Or/Xor, Where).
//===----------------------------------------------------------------------===//

def Sinter_CompareOp : Sinter_Op<"compare", [InferTypeOpAdaptor]> {
  let summary = "elementwise comparison with numpy broadcasting";
  let description = [{
    Compares `lhs` with `rhs` element by element by `predicate`: `eq`, `ne`,
    `lt`, `le`, `gt` or `ge`. The operands share an element type and broadcast
    as in numpy; the result is `i1`. Floats compare ordered (false when either
    side is NaN) except `ne`, which is then true; signless integers compare
    signed, unsigned ones unsigned and `i1` as 0 and 1.

    Example:
    ```mlir
    %m = sinter.compare %x, %y {predicate = "lt"}
        : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$lhs, Sinter_Tensor:$rhs,
                   StrAttr:$predicate);
  let results = (outs StaticShapeTensorOf<[I1]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Sinter_SelectOp : Sinter_Op<"select", [InferTypeOpAdaptor]> {
  let summary = "picks from two tensors by a condition, with numpy broadcasting";
  let description = [{
    `true_value` where `condition` is true, `false_value` elsewhere. The
    condition is `i1`, the two values share an element type, and all three
    broadcast together as in numpy.

    Example:
    ```mlir
    %y = sinter.select %m, %x, %fill
        : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[I1]>:$condition,
                   Sinter_Tensor:$true_value, Sinter_Tensor:$false_value);
  let results = (outs Sinter_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:` type($condition)
    `,` type($true_value) `,` type($false_value) `->` type($output)
  }];
}

#endif // SINTER_ELEMENTWISE_OPS_TD
