// RUN: sinter-opt %s -sinter-simplify -split-input-file | FileCheck %s

// x - 0, x / 1 and neg(neg(x)) are x.
// CHECK-LABEL: func @neutral
// CHECK-NOT: sinter.sub
// CHECK-NOT: sinter.div
// CHECK-NOT: sinter.neg
// CHECK: return %arg0, %arg1
func.func @neutral(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %zero = sinter.constant dense<0.0> : tensor<4xf32>
  %one = sinter.constant dense<1.0> : tensor<f32>
  %a = sinter.sub %x, %zero : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %b = sinter.div %a, %one : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %n = sinter.neg %b : tensor<4xf32>
  %nn = sinter.neg %n : tensor<4xf32>
  %ione = sinter.constant dense<1> : tensor<1xi32>
  %q = sinter.div %i, %ione : tensor<4xi32>, tensor<1xi32> -> tensor<4xi32>
  return %nn, %q : tensor<4xf32>, tensor<4xi32>
}

// -----

// A neutral constant that broadcasts x to a larger shape is not a no-op;
// 0 - x is not x.
// CHECK-LABEL: func @not_neutral
// CHECK: sinter.sub %arg0
// CHECK: sinter.sub %{{.*}}, %arg0
func.func @not_neutral(%x: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<4xf32>) {
  %zeros = sinter.constant dense<0.0> : tensor<2x4xf32>
  %a = sinter.sub %x, %zeros : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %zero = sinter.constant dense<0.0> : tensor<4xf32>
  %b = sinter.sub %zero, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<4xf32>
}

// -----

// Adding a negation is subtracting, subtracting one is adding.
// CHECK-LABEL: func @negations
// CHECK: %[[S:.*]] = sinter.sub %arg0, %arg1 : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK: %[[A:.*]] = sinter.add %arg0, %arg0 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK-NOT: sinter.neg
// CHECK: return %[[S]], %[[A]]
func.func @negations(%x: tensor<4xf32>, %y: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<4xf32>) {
  %ny = sinter.neg %y : tensor<2x4xf32>
  %a = sinter.add %ny, %x : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %nx = sinter.neg %x : tensor<4xf32>
  %b = sinter.sub %x, %nx : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<4xf32>
}

// -----

// A cast that loses nothing merges with the next one; one that may lose
// something (f32 -> f16, i64 -> i32) does not.
// CHECK-LABEL: func @casts
// CHECK: %[[A:.*]] = sinter.cast %arg0 : tensor<3xi8> -> tensor<3xf32>
// CHECK: %[[H:.*]] = sinter.cast %arg1 : tensor<3xf32> -> tensor<3xf16>
// CHECK: %[[B:.*]] = sinter.cast %[[H]] : tensor<3xf16> -> tensor<3xf32>
// CHECK: return %[[A]], %arg2, %[[B]]
func.func @casts(%x: tensor<3xi8>, %y: tensor<3xf32>, %z: tensor<3xi32>) -> (tensor<3xf32>, tensor<3xi32>, tensor<3xf32>) {
  %0 = sinter.cast %x : tensor<3xi8> -> tensor<3xi32>
  %1 = sinter.cast %0 : tensor<3xi32> -> tensor<3xf32>
  %2 = sinter.cast %z : tensor<3xi32> -> tensor<3xi64>
  %3 = sinter.cast %2 : tensor<3xi64> -> tensor<3xi32>
  %4 = sinter.cast %y : tensor<3xf32> -> tensor<3xf16>
  %5 = sinter.cast %4 : tensor<3xf16> -> tensor<3xf32>
  return %1, %3, %5 : tensor<3xf32>, tensor<3xi32>, tensor<3xf32>
}

// -----

// Transposes that only move unit dimensions are reshapes and merge with the
// reshapes (flatten, squeeze, unsqueeze) around them; a real transpose stays.
// CHECK-LABEL: func @unit_transposes
// CHECK: %[[A:.*]] = sinter.reshape %arg0 : tensor<1x8x1x1xf32> -> tensor<1x1x1x8xf32>
// CHECK: %[[B:.*]] = sinter.reshape %arg0 : tensor<1x8x1x1xf32> -> tensor<8xf32>
// CHECK: %[[C:.*]] = sinter.transpose %arg1 {perm = array<i64: 1, 0, 2>}
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @unit_transposes(%x: tensor<1x8x1x1xf32>, %y: tensor<2x3x1xf32>) -> (tensor<1x1x1x8xf32>, tensor<8xf32>, tensor<3x2x1xf32>) {
  %t = sinter.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x8x1x1xf32> -> tensor<1x1x1x8xf32>
  %f = sinter.flatten %x {axis = 0 : i64} : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
  %ft = sinter.transpose %f {perm = array<i64: 1, 0>} : tensor<1x8xf32> -> tensor<8x1xf32>
  %s = sinter.squeeze %ft {axes = array<i64: 1>} : tensor<8x1xf32> -> tensor<8xf32>
  %r = sinter.transpose %y {perm = array<i64: 1, 0, 2>} : tensor<2x3x1xf32> -> tensor<3x2x1xf32>
  return %t, %s, %r : tensor<1x1x1x8xf32>, tensor<8xf32>, tensor<3x2x1xf32>
}

// -----

// Unused ops are erased (every sinter op is pure).
// CHECK-LABEL: func @dead_code
// CHECK-NEXT: return %arg0
func.func @dead_code(%x: tensor<4xf32>) -> tensor<4xf32> {
  %w = sinter.constant dense<2.0> : tensor<4xf32>
  %0 = sinter.mul %x, %w : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = sinter.exp %0 : tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// pow(x, 2) and pow(x, 3) become multiplications; other exponents, and an
// exponent that broadcasts x, stay.
// CHECK-LABEL: func @small_powers
// CHECK: %[[SQ:.*]] = sinter.mul %arg0, %arg0
// CHECK: %[[SQ3:.*]] = sinter.mul %arg0, %arg0
// CHECK: %[[CUBE:.*]] = sinter.mul %[[SQ3]], %arg0
// CHECK: sinter.pow %arg0, %{{.*}} : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
// CHECK: sinter.pow %{{.*}}, %{{.*}} : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
// CHECK: return %[[SQ]], %[[CUBE]]
func.func @small_powers(%x: tensor<4xf32>, %s: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %two = sinter.constant dense<2.0> : tensor<f32>
  %three = sinter.constant dense<3.0> : tensor<f32>
  %half = sinter.constant dense<0.5> : tensor<f32>
  %twos = sinter.constant dense<2.0> : tensor<4xf32>
  %a = sinter.pow %x, %two : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %b = sinter.pow %x, %three : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %c = sinter.pow %x, %half : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %d = sinter.pow %s, %twos : tensor<f32>, tensor<4xf32> -> tensor<4xf32>
  return %a, %b, %c, %d : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
