// RUN: sinter-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func @reshape_family
// CHECK-NOT: sinter.flatten
// CHECK-NOT: sinter.squeeze
// CHECK-NOT: sinter.unsqueeze
// CHECK: %[[R:.*]] = sinter.reshape %arg0 : tensor<2x3x4xf32> -> tensor<1x24xf32>
// CHECK: return %[[R]]
func.func @reshape_family(%x: tensor<2x3x4xf32>) -> tensor<1x24xf32> {
  %0 = sinter.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = sinter.unsqueeze %0 {axes = array<i64: 0>} : tensor<2x12xf32> -> tensor<1x2x12xf32>
  %2 = sinter.reshape %1 : tensor<1x2x12xf32> -> tensor<1x24x1xf32>
  %3 = sinter.squeeze %2 {axes = array<i64: 2>} : tensor<1x24x1xf32> -> tensor<1x24xf32>
  return %3 : tensor<1x24xf32>
}

// -----

// CHECK-LABEL: func @reshape_constant
// CHECK: %[[C:.*]] = sinter.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: return %[[C]]
func.func @reshape_constant() -> tensor<2x2xf32> {
  %c = sinter.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %r = sinter.reshape %c : tensor<4xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// -----

// Two transposes compose into one; an identity permutation disappears.
// CHECK-LABEL: func @transposes
// CHECK: %[[T:.*]] = sinter.transpose %arg0 {perm = array<i64: 2, 0, 1>}
// CHECK-NOT: sinter.transpose
// CHECK: return %[[T]], %arg0
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>) {
  %0 = sinter.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = sinter.transpose %0 {perm = array<i64: 1, 2, 0>} : tensor<3x4x2xf32> -> tensor<4x2x3xf32>
  %2 = sinter.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %1, %2 : tensor<4x2x3xf32>, tensor<2x3x4xf32>
}

// -----

// Adding zero or multiplying by one is a no-op unless it broadcasts.
// CHECK-LABEL: func @neutral_elements
// CHECK-NOT: sinter.mul
// CHECK: %[[B:.*]] = sinter.add %arg0, %{{.*}} : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK: return %arg0, %[[B]]
func.func @neutral_elements(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2x4xf32>) {
  %zero = sinter.constant dense<0.0> : tensor<4xf32>
  %one = sinter.constant dense<1.0> : tensor<4xf32>
  %zeros = sinter.constant dense<0.0> : tensor<2x4xf32>
  %0 = sinter.add %x, %zero : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = sinter.mul %one, %0 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = sinter.add %x, %zeros : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return %1, %2 : tensor<4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @trivial_data_movement
// CHECK-NOT: sinter.
// CHECK: return %arg0, %arg0, %arg0
func.func @trivial_data_movement(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = sinter.concat %x {axis = 0 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = sinter.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = sinter.cast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
