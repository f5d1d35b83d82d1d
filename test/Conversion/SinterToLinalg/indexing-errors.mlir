// RUN: sinter-opt %s -split-input-file -sinter-to-linalg -verify-diagnostics

// The indexing ops' verifiers, and what the lowering refuses.

func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<3xi64>) -> tensor<3xf32> {
  // expected-error @+2 {{indices 'tensor<3xi64>' must have the rank of data 'tensor<3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.gather_elements %x, %i {axis = 0 : i64} : tensor<3x4xf32>, tensor<3xi64> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gather_elements_wider(%x: tensor<3x4xf32>, %i: tensor<3x5xi64>) -> tensor<3x5xf32> {
  // expected-error @+2 {{indices 'tensor<3x5xi64>' exceeds data 'tensor<3x4xf32>' in dimension 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.gather_elements %x, %i {axis = 0 : i64} : tensor<3x4xf32>, tensor<3x5xi64> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @gather_nd_tuple(%x: tensor<3x4xf32>, %i: tensor<2x3xi64>) -> tensor<2xf32> {
  // expected-error @+2 {{index tuples of length 3 do not address data 'tensor<3x4xf32>' after 0 batch dimensions}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.gather_nd %x, %i {batch_dims = 0 : i64} : tensor<3x4xf32>, tensor<2x3xi64> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x5xf32> {
  // expected-error @+2 {{updates 'tensor<2x4xf32>' must have shape [2, 5] and the element type of data 'tensor<4x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.scatter_nd %x, %i, %u : tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x4xf32> -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @scatter_reduction(%x: tensor<4xf32>, %i: tensor<1xi64>, %u: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{unknown reduction 'sum' (expected none, add, mul, max or min)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = "sum"} : tensor<4xf32>, tensor<1xi64>, tensor<1xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @topk_k(%x: tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>) {
  // expected-error @+2 {{k = 5 is outside [0, 4] for axis 1 of 'tensor<3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = sinter.topk %x {axis = 1 : i64, k = 5 : i64} : tensor<3x4xf32> -> tensor<3x5xf32>, tensor<3x5xi64>
  return %v, %i : tensor<3x5xf32>, tensor<3x5xi64>
}

// -----

func.func @argmax_result(%x: tensor<3x4xf32>) -> tensor<3xi64> {
  // expected-error @+2 {{inferred type(s) 'tensor<3x1xi64>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.argmax %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

func.func @reverse_lengths(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<4x3xf32> {
  // expected-error @+2 {{sequence_lens 'tensor<4xi64>' must have one entry per batch entry of 'tensor<4x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.reverse_sequence %x, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : tensor<4x3xf32>, tensor<4xi64> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @trilu_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{needs rank 2 or more, got 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.trilu %x {k = 0 : i64, upper = true} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @cumsum_bool(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+2 {{cannot scan an i1 tensor}}
  // expected-error @+1 {{failed to legalize operation 'sinter.cumsum'}}
  %0 = sinter.cumsum %x {axis = 0 : i64} : tensor<4xi1> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
