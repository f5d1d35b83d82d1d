// RUN: sinter-opt %s -split-input-file -verify-diagnostics

func.func @shift_direction(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error@+1 {{direction must be "left" or "right", not "up"}}
  %0 = sinter.bit_shift %a, %a {direction = "up"} : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @shift_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error@+1 {{cannot shift 'tensor<4xi1>'}}
  %0 = sinter.bit_shift %a, %a {direction = "left"} : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @bitwise_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{operand #0 must be statically shaped tensor of}}
  %0 = sinter.bitwise_and %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @mod_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error@+1 {{needs a numeric tensor, not 'tensor<4xi1>'}}
  %0 = sinter.mod %a, %a : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @neg_unsigned(%a: tensor<4xui32>) -> tensor<4xui32> {
  // expected-error@+1 {{needs a float or signed integer tensor, not 'tensor<4xui32>'}}
  %0 = sinter.neg %a : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @celu_zero_alpha(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{alpha must not be 0}}
  %0 = sinter.celu %a {alpha = 0.0 : f32} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sin_integer(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error@+1 {{operand #0 must be statically shaped tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %0 = sinter.sin %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @unsigned_types(%a: tensor<4xui16>, %b: tensor<4xui32>, %c: tensor<4xui64>) -> (tensor<4xui16>, tensor<4xui32>, tensor<4xui64>) {
  %0 = sinter.add %a, %a : tensor<4xui16>, tensor<4xui16> -> tensor<4xui16>
  %1 = sinter.mul %b, %b : tensor<4xui32>, tensor<4xui32> -> tensor<4xui32>
  %2 = sinter.bitwise_not %c : tensor<4xui64>
  return %0, %1, %2 : tensor<4xui16>, tensor<4xui32>, tensor<4xui64>
}
