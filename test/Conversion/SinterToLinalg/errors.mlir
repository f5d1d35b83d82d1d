// RUN: sinter-opt %s -sinter-to-linalg -split-input-file -verify-diagnostics

// arith has no unsigned integer types: arithmetic on ui8 fails cleanly,
// naming the op.
func.func @unsigned_add(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+2 {{cannot lower 'sinter.add' on 'tensor<4xui8>': arithmetic on unsigned element types is not supported}}
  // expected-error @+1 {{failed to legalize operation 'sinter.add'}}
  %0 = sinter.add %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @unsigned_cast(%a: tensor<4xui8>) -> tensor<4xf32> {
  // expected-error @+2 {{cannot lower 'sinter.cast' on 'tensor<4xui8>'}}
  // expected-error @+1 {{failed to legalize operation 'sinter.cast'}}
  %0 = sinter.cast %a : tensor<4xui8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
