// RUN: sinter-opt %s -split-input-file -verify-diagnostics

func.func @broadcast_mismatch(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{do not broadcast}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @wrong_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3x3xf32> {
  // expected-error@+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.mul %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<4x8xf32>, %b: tensor<7x2xf32>) -> tensor<4x2xf32> {
  // expected-error@+2 {{contraction sizes differ}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.matmul %a, %b : tensor<4x8xf32>, tensor<7x2xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+2 {{filter expects 2 input channels, input has 3}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
                           pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32> -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+2 {{group 4 does not divide 6 input channels}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
                           pads = array<i64: 0, 0, 0, 0>, group = 4 : i64}
      : tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @pool_window(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error@+2 {{pooling window 3 is larger than padded input 2}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>,
      dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x1xf32>
  return %0 : tensor<1x1x1x1xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error@+1 {{parameters must be [4]}}
  %0 = sinter.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-05 : f32}
      : tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{axis 2 is out of range for rank 2}}
  %0 = sinter.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_scale(%x: tensor<2x8xf32>, %g: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error@+1 {{does not broadcast to the normalized shape}}
  %0 = sinter.layer_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-05 : f32} : tensor<2x8xf32>, tensor<4xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @reduce_axes(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+2 {{axes must be increasing and unique}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.reduce_sum %x {axes = array<i64: 1, 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error@+1 {{cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<7xf32>' (7 elements)}}
  %0 = sinter.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+2 {{perm is not a permutation of 0..1}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.transpose %x {perm = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error@+2 {{differ outside axis 1}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.concat %a, %b {axis = 1 : i64} : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_bounds(%x: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error@+2 {{slice of dimension 0 reads outside [0, 4)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.slice %x {starts = array<i64: 2>, sizes = array<i64: 3>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error@+2 {{cannot squeeze dimension 0 of size 2}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.squeeze %x {axes = array<i64: 0>} : tensor<2x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gelu_mode(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{approximate must be "none" or "tanh"}}
  %0 = sinter.gelu %x {approximate = "erf"} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @cast_shape(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error@+1 {{shape changes}}
  %0 = sinter.cast %x : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @dynamic_shape(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error@+1 {{must be statically shaped tensor}}
  %0 = sinter.relu %x : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @compare_predicate(%a: tensor<2xf32>) -> tensor<2xi1> {
  // expected-error@+1 {{predicate must be eq, ne, lt, le, gt or ge, not "approx"}}
  %0 = sinter.compare %a, %a {predicate = "approx"} : tensor<2xf32>, tensor<2xf32> -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @select_types(%m: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error@+2 {{operand element types differ}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = sinter.select %m, %a, %b : tensor<2xi1>, tensor<2xf32>, tensor<2xi32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
