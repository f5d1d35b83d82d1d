// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// keepdims: reduce into the kept dims, then expand_shape puts the 1s back.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<2xf32>)
// CHECK:   arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 1] : tensor<2xf32> into tensor<2x1x1xf32>
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %0 = sinter.reduce_sum %x {axes = array<i64: 1, 2>, keepdims = true} : tensor<2x3x4xf32> -> tensor<2x1x1xf32>
  return %0 : tensor<2x1x1xf32>
}

// -----

// CHECK-DAG: #[[KEPT:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @reduce_mean
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[KEPT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK: linalg.generic {{.+}} ins(%[[SUM]] : tensor<3xf32>)
// CHECK:   %[[N:.+]] = arith.constant 8.000000e+00 : f32
// CHECK:   arith.divf %{{.+}}, %[[N]]
// CHECK-NOT: tensor.expand_shape
// CHECK: return
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = sinter.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %0 = sinter.reduce_max %x {axes = array<i64: 1>, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// Integers: max starts from the smallest value, mean divides with divsi.
// CHECK-LABEL: func.func @reduce_int
// CHECK: %[[MIN:.+]] = arith.constant -9223372036854775808 : i64
// CHECK: linalg.fill ins(%[[MIN]] : i64)
// CHECK: arith.maxsi
// CHECK: arith.addi
// CHECK: arith.divsi
func.func @reduce_int(%x: tensor<2x3xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
  %0 = sinter.reduce_max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi64> -> tensor<2xi64>
  %1 = sinter.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi64> -> tensor<2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2xi64>
}

// -----

// Everything reduced: a rank-0 result.
// CHECK-DAG: #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @reduce_all
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME: outs(%{{.+}} : tensor<f32>)
func.func @reduce_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %0 = sinter.reduce_sum %x {axes = array<i64: 0, 1>, keepdims = false} : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// No axes: nothing to reduce.
// CHECK-LABEL: func.func @reduce_nothing
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reduce_nothing(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = sinter.reduce_sum %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
