// RUN: sinter-opt %s -sinter-to-linalg -split-input-file -verify-diagnostics

// Reductions do not compute on unsigned elements yet: they fail cleanly,
// naming the op (elementwise arithmetic does, see elementwise-unsigned.mlir).
func.func @unsigned_reduce(%a: tensor<4xui8>) -> tensor<1xui8> {
  // expected-error @+2 {{cannot lower 'sinter.reduce_max' on 'tensor<4xui8>': arithmetic on unsigned element types is not supported}}
  // expected-error @+1 {{failed to legalize operation 'sinter.reduce_max'}}
  %0 = sinter.reduce_max %a {axes = array<i64: 0>, keepdims = true} : tensor<4xui8> -> tensor<1xui8>
  return %0 : tensor<1xui8>
}
