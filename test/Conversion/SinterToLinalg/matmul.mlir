// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: tensor<3x4xf32>, %[[B:.+]]: tensor<4x5xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<3x5xf32>)
// CHECK: %[[C:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: return %[[C]]
func.func @matmul_2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %0 = sinter.matmul %a, %b : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// A matrix on the right: the left batch folds into the rows of one matmul.
// CHECK-LABEL: func.func @matmul_fold_batch
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3]] : tensor<2x3x4x8xf32> into tensor<24x8xf32>
// CHECK: %[[C:.+]] = linalg.matmul ins(%[[A]], %{{.+}} : tensor<24x8xf32>, tensor<8x5xf32>)
// CHECK: tensor.expand_shape %[[C]] {{\[\[}}0, 1, 2], [3]] output_shape [2, 3, 4, 5] : tensor<24x5xf32> into tensor<2x3x4x5xf32>
func.func @matmul_fold_batch(%a: tensor<2x3x4x8xf32>, %b: tensor<8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = sinter.matmul %a, %b : tensor<2x3x4x8xf32>, tensor<8x5xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// Equal batches (after left-padding with ones) fold into one batch_matmul.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3]] : tensor<2x3x4x8xf32> into tensor<6x4x8xf32>
// CHECK-DAG: %[[B:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2], [3], [4]] : tensor<1x2x3x8x5xf32> into tensor<6x8x5xf32>
// CHECK: %[[C:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<6x4x8xf32>, tensor<6x8x5xf32>) outs(%{{.+}} : tensor<6x4x5xf32>)
// CHECK: tensor.expand_shape %[[C]] {{.*}} : tensor<6x4x5xf32> into tensor<1x2x3x4x5xf32>
func.func @batch_matmul(%a: tensor<2x3x4x8xf32>, %b: tensor<1x2x3x8x5xf32>) -> tensor<1x2x3x4x5xf32> {
  %0 = sinter.matmul %a, %b : tensor<2x3x4x8xf32>, tensor<1x2x3x8x5xf32> -> tensor<1x2x3x4x5xf32>
  return %0 : tensor<1x2x3x4x5xf32>
}

// -----

// Batch dims that broadcast against each other: one generic, the unit batch
// dim of each side read at index 0; loops are (batch..., m, n, k).
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<3x2x4x5xf32>)
// CHECK: %[[P:.+]] = arith.mulf
// CHECK: arith.addf %{{.+}}, %[[P]]
func.func @matmul_broadcast_batch(%a: tensor<3x1x4x8xf32>, %b: tensor<2x8x5xf32>) -> tensor<3x2x4x5xf32> {
  %0 = sinter.matmul %a, %b : tensor<3x1x4x8xf32>, tensor<2x8x5xf32> -> tensor<3x2x4x5xf32>
  return %0 : tensor<3x2x4x5xf32>
}

// -----

// A matrix on the left, batches on the right.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: func.func @matmul_matrix_lhs
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_matrix_lhs(%a: tensor<4x8xf32>, %b: tensor<2x8x5xf32>) -> tensor<2x4x5xf32> {
  %0 = sinter.matmul %a, %b : tensor<4x8xf32>, tensor<2x8x5xf32> -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// Half-precision products accumulate in f32 (the named op promotes its
// operands to the output's type); one elementwise truncation follows.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<3x5xf32>)
// CHECK: %[[C:.+]] = linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<3x64xf16>, tensor<64x5xf16>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: linalg.generic {{.+}} ins(%[[C]] : tensor<3x5xf32>) outs(%{{.+}} : tensor<3x5xf16>)
// CHECK:   arith.truncf %{{.+}} : f32 to f16
func.func @matmul_f16(%a: tensor<3x64xf16>, %b: tensor<64x5xf16>) -> tensor<3x5xf16> {
  %0 = sinter.matmul %a, %b : tensor<3x64xf16>, tensor<64x5xf16> -> tensor<3x5xf16>
  return %0 : tensor<3x5xf16>
}
