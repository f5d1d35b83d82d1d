// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Products of halves accumulate in f32, like sums.
// CHECK-LABEL: func.func @reduce_prod
// CHECK: linalg.fill ins(%{{.*}} : f32)
// CHECK: linalg.generic
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.truncf
func.func @reduce_prod(%x: tensor<2x3xf16>) -> tensor<2xf16> {
  %0 = sinter.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf16> -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

// The min of bools is an unsigned min from true.
// CHECK-LABEL: func.func @reduce_min_bool
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: linalg.fill ins(%[[TRUE]] : i1)
// CHECK: arith.minui
// CHECK: tensor.expand_shape
func.func @reduce_min_bool(%x: tensor<2x3xi1>) -> tensor<2x1xi1> {
  %0 = sinter.reduce_min %x {axes = array<i64: 1>} : tensor<2x3xi1> -> tensor<2x1xi1>
  return %0 : tensor<2x1xi1>
}

// -----

// CHECK-LABEL: func.func @bitcast
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : i32 to ui32
func.func @bitcast(%x: tensor<4xf32>) -> tensor<4xui32> {
  %0 = sinter.bitcast %x : tensor<4xf32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

// A bool is the byte 0 or 1; a byte is a true bool unless 0.
// CHECK-LABEL: func.func @bitcast_bool
// CHECK: arith.extui %{{.*}} : i1 to i8
// CHECK-LABEL: func.func @bitcast_to_bool
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i8
func.func @bitcast_bool(%x: tensor<4xi1>) -> tensor<4xi8> {
  %0 = sinter.bitcast %x : tensor<4xi1> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
func.func @bitcast_to_bool(%x: tensor<4xi8>) -> tensor<4xi1> {
  %0 = sinter.bitcast %x : tensor<4xi8> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// One generic keeps the running maximum and its flat index; taps are skipped
// by position, the first tap always taken, later ones only when greater.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %[[LOWEST:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[NONE:.*]] = arith.constant -1 : i64
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: linalg.index 4
// CHECK: arith.cmpi slt
// CHECK: arith.index_cast %{{.*}} : index to i64
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield
// CHECK: return %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xi64> {
  %0 = sinter.max_pool_indices %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xi64>
  return %0 : tensor<1x1x2x2xi64>
}
