// Elementwise ops: unary math and activations, and binary ops with numpy broadcasting.
#ifndef SINTER_ELEMENTWISE_OPS_TD
#define SINTER_ELEMENTWISE_OPS_TD

include "sinter/Dialect/SinterDialect.td"

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
def Sinter_NegOp : Sinter_UnaryOp<"neg", "negation">;
def Sinter_AbsOp : Sinter_UnaryOp<"abs", "the absolute value">;
def Sinter_ReciprocalOp : Sinter_UnaryOp<"reciprocal", "1 / x">;

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

class Sinter_BinaryOp<string mnemonic, string fn, list<Trait> traits = []>
    : Sinter_Op<mnemonic, !listconcat(traits, [
          InferTypeOpAdaptor])> {
  let summary = "elementwise " # fn # " with numpy broadcasting";
  let description = "Computes " # fn # [{ element by element. The operands
    share an element type; their shapes broadcast as in numpy (dimensions are
    aligned from the right and each pair must be equal or contain a 1).

    Example:
    ```mlir
    %z = sinter.}] # mnemonic # [{ %x, %y : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Sinter_Tensor:$lhs, Sinter_Tensor:$rhs);
  let results = (outs Sinter_Tensor:$output);
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
def Sinter_DivOp : Sinter_BinaryOp<"div", "lhs / rhs">;
def Sinter_PowOp : Sinter_BinaryOp<"pow", "lhs raised to rhs">;
def Sinter_MaxOp : Sinter_BinaryOp<"max", "max(lhs, rhs)", [Commutative]>;
def Sinter_MinOp : Sinter_BinaryOp<"min", "min(lhs, rhs)", [Commutative]>;

//===----------------------------------------------------------------------===//
// Comparison and selection (ONNX's Equal, Less, ..., Not/And/Or/Xor, Where).
//===----------------------------------------------------------------------===//

def Sinter_CompareOp : Sinter_Op<"compare", [InferTypeOpAdaptor]> {
  let summary = "elementwise comparison with numpy broadcasting";
  let description = [{
    Compares `lhs` with `rhs` element by element by `predicate`: `eq`, `ne`,
    `lt`, `le`, `gt` or `ge`. The operands share an element type and broadcast
    as in numpy; the result is `i1`. Floats compare ordered (false when either
    side is NaN) except `ne`, which is then true; integers compare signed,
    `ui8` unsigned and `i1` as 0 and 1.

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
