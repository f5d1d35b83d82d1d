// RUN: sinter-opt %s -split-input-file -verify-diagnostics

func.func @bitcast_width(%x: tensor<4xf32>) -> tensor<4xi64> {
  // expected-error@+1 {{element widths differ: 'f32' and 'i64'}}
  %0 = sinter.bitcast %x : tensor<4xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @bitcast_shape(%x: tensor<4xf32>) -> tensor<2x2xi32> {
  // expected-error@+1 {{shape changes from 'tensor<4xf32>' to 'tensor<2x2xi32>'}}
  %0 = sinter.bitcast %x : tensor<4xf32> -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// A bool is stored as a byte.
func.func @bitcast_bool(%x: tensor<4xi1>) -> tensor<4xi16> {
  // expected-error@+1 {{element widths differ: 'i1' and 'i16'}}
  %0 = sinter.bitcast %x : tensor<4xi1> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @indices_type(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xi32> {
  // expected-error@+1 {{result #0 must be statically shaped tensor of 64-bit signless integer values}}
  %0 = sinter.max_pool_indices %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @reduce_prod_axis(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %0 = sinter.reduce_prod %x {axes = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}
