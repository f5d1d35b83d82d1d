// RUN: sinter-opt %s -sinter-fuse-elementwise -split-input-file | FileCheck %s

// Flatten before a Gemm: the collapse stays a reshape and the matmul stays
// named, with its 2-D weight (upstream's fusion makes a five-loop generic).
// CHECK-LABEL: func @flatten_into_matmul
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<1x1x4x4xf32> into tensor<1x16xf32>
// CHECK: linalg.matmul ins(%[[FLAT]], %{{.*}} : tensor<1x16xf32>, tensor<16x8xf32>)
// CHECK-NOT: linalg.generic
func.func @flatten_into_matmul(%x: tensor<1x1x4x4xf32>, %w: tensor<16x8xf32>) -> tensor<1x8xf32> {
  %zero = arith.constant 0.0 : f32
  %flat = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x1x4x4xf32> into tensor<1x16xf32>
  %empty = tensor.empty() : tensor<1x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x8xf32>) -> tensor<1x8xf32>
  %y = linalg.matmul ins(%flat, %w : tensor<1x16xf32>, tensor<16x8xf32>) outs(%init : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// Splitting a projection into heads: the expand of the matmul's result stays.
// CHECK-LABEL: func @matmul_into_heads
// CHECK: %[[MM:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x8xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2, 3]]
func.func @matmul_into_heads(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %heads = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 4, 2, 4] : tensor<4x8xf32> into tensor<1x4x2x4xf32>
  return %heads : tensor<1x4x2x4xf32>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// Attention's probabilities times V: the exp stays a generic of its own and
// the batch matmul stays named, behind the reshape of its batch dims.
// CHECK-LABEL: func @exp_into_batch_matmul
// CHECK: %[[EXP:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: %[[P:.*]] = tensor.collapse_shape %[[EXP]]
// CHECK: linalg.batch_matmul ins(%[[P]], %{{.*}} : tensor<2x4x4xf32>, tensor<2x4x8xf32>)
func.func @exp_into_batch_matmul(%s: tensor<1x2x4x4xf32>, %v: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x2x4x4xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x2x4x4xf32>) outs(%e0 : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<1x2x4x4xf32>
  %p = tensor.collapse_shape %exp [[0, 1], [2], [3]] : tensor<1x2x4x4xf32> into tensor<2x4x4xf32>
  %empty = tensor.empty() : tensor<2x4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %y = linalg.batch_matmul ins(%p, %v : tensor<2x4x4xf32>, tensor<2x4x8xf32>) outs(%init : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
// Elementwise chains still fuse, across a reshape: one generic is left.
// CHECK-LABEL: func @elementwise_chain
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
func.func @elementwise_chain(%x: tensor<4x8xf32>) -> tensor<32xf32> {
  %e0 = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e0 : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %flat = tensor.collapse_shape %a [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
  %e1 = tensor.empty() : tensor<32xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%flat : tensor<32xf32>) outs(%e1 : tensor<32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.negf %in : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  return %b : tensor<32xf32>
}
