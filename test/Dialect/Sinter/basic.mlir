// RUN: sinter-opt %s | sinter-opt | FileCheck %s
// Every op parses, verifies and prints back.

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: sinter.add %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %0 = sinter.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = sinter.sub %0, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = sinter.mul %1, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %3 = sinter.div %2, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %4 = sinter.pow %3, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %5 = sinter.max %4, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %6 = sinter.min %5, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: sinter.relu %{{.*}} : tensor<2x3xf32>
  %7 = sinter.relu %6 : tensor<2x3xf32>
  // CHECK: sinter.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32} : tensor<2x3xf32>
  %8 = sinter.leaky_relu %7 {alpha = 0.1 : f32} : tensor<2x3xf32>
  %9 = sinter.sigmoid %8 : tensor<2x3xf32>
  %10 = sinter.tanh %9 : tensor<2x3xf32>
  %11 = sinter.exp %10 : tensor<2x3xf32>
  %12 = sinter.log %11 : tensor<2x3xf32>
  %13 = sinter.sqrt %12 : tensor<2x3xf32>
  %14 = sinter.erf %13 : tensor<2x3xf32>
  // CHECK: sinter.gelu %{{.*}} {approximate = "tanh"} : tensor<2x3xf32>
  %15 = sinter.gelu %14 {approximate = "tanh"} : tensor<2x3xf32>
  return %15 : tensor<2x3xf32>
}

// CHECK-LABEL: func @linear
func.func @linear(%a: tensor<8x4x16xf32>, %b: tensor<16x32xf32>, %x: tensor<1x3x8x8xf32>,
                  %w: tensor<4x3x3x3xf32>, %bias: tensor<4xf32>) -> (tensor<8x4x32xf32>, tensor<1x4x4x4xf32>) {
  // CHECK: sinter.matmul %{{.*}}, %{{.*}} : tensor<8x4x16xf32>, tensor<16x32xf32> -> tensor<8x4x32xf32>
  %0 = sinter.matmul %a, %b : tensor<8x4x16xf32>, tensor<16x32xf32> -> tensor<8x4x32xf32>
  // CHECK: sinter.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %1 = sinter.conv %x, %w, %bias {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>,
                                  pads = array<i64: 1, 1, 1, 1>, group = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x4x4xf32>
  return %0, %1 : tensor<8x4x32xf32>, tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func @pools_and_norms
func.func @pools_and_norms(%x: tensor<1x4x8x8xf32>, %p: tensor<4xf32>, %s: tensor<2x16x64xf32>,
                           %g: tensor<64xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>, tensor<2x16x64xf32>) {
  // CHECK: sinter.max_pool
  %0 = sinter.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
      dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  // CHECK: sinter.avg_pool {{.*}}ceil_mode = true
  %1 = sinter.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 3, 3>,
      dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true}
      : tensor<1x4x8x8xf32> -> tensor<1x4x3x3xf32>
  // CHECK: sinter.global_avg_pool
  %2 = sinter.global_avg_pool %x : tensor<1x4x8x8xf32> -> tensor<1x4x1x1xf32>
  // CHECK: sinter.batch_norm
  %3 = sinter.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-05 : f32}
      : tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  // CHECK: sinter.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64
  %4 = sinter.layer_norm %s, %g, %g {axis = -1 : i64, epsilon = 1.0e-05 : f32}
      : tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>
  // CHECK: sinter.softmax %{{.*}} {axis = 2 : i64}
  %5 = sinter.softmax %4 {axis = 2 : i64} : tensor<2x16x64xf32>
  return %0, %1, %2, %5 : tensor<1x4x4x4xf32>, tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>, tensor<2x16x64xf32>
}

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<2x3x4xf32>, %ids: tensor<5xi64>) -> (tensor<2x1xf32>, tensor<4x2x3xf32>, tensor<2x7x4xf32>, tensor<1x2x2xf32>, tensor<2x5x4xf32>, tensor<2x3x4xi32>, tensor<24xf32>) {
  // CHECK: sinter.constant dense<1.000000e+00> : tensor<2x4x4xf32>
  %c = sinter.constant dense<1.0> : tensor<2x4x4xf32>
  // CHECK: sinter.reduce_mean %{{.*}} {axes = array<i64: 1, 2>, keepdims = false}
  %m = sinter.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2xf32>
  %u = sinter.unsqueeze %m {axes = array<i64: 1>} : tensor<2xf32> -> tensor<2x1xf32>
  %t = sinter.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %cat = sinter.concat %x, %c {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<2x4x4xf32> -> tensor<2x7x4xf32>
  %s = sinter.slice %x {starts = array<i64: 1, 2, 3>, sizes = array<i64: 1, 2, 2>, steps = array<i64: 1, -1, -2>}
      : tensor<2x3x4xf32> -> tensor<1x2x2xf32>
  // CHECK: sinter.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<5xi64> -> tensor<2x5x4xf32>
  %g = sinter.gather %x, %ids {axis = 1 : i64} : tensor<2x3x4xf32>, tensor<5xi64> -> tensor<2x5x4xf32>
  %i = sinter.cast %x : tensor<2x3x4xf32> -> tensor<2x3x4xi32>
  %r = sinter.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  return %u, %t, %cat, %s, %g, %i, %r : tensor<2x1xf32>, tensor<4x2x3xf32>, tensor<2x7x4xf32>, tensor<1x2x2xf32>, tensor<2x5x4xf32>, tensor<2x3x4xi32>, tensor<24xf32>
}

// CHECK-LABEL: func @logic
func.func @logic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %fill: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: sinter.compare %{{.*}}, %{{.*}} {predicate = "lt"} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  %m = sinter.compare %a, %b {predicate = "lt"} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  // CHECK: sinter.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  %s = sinter.select %m, %a, %fill : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}
