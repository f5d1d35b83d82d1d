// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[FULL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @compare_floats
// CHECK: linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]], #[[FULL]]]
// CHECK: arith.cmpf olt
// CHECK: linalg.yield %{{.*}} : i1
func.func @compare_floats(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xi1> {
  %0 = sinter.compare %a, %b {predicate = "lt"} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// NaN is unequal to everything, so "ne" is the unordered comparison.
// CHECK-LABEL: func @not_equal_is_unordered
// CHECK: arith.cmpf une
func.func @not_equal_is_unordered(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = sinter.compare %a, %b {predicate = "ne"} : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func @compare_ints
// CHECK: arith.cmpi sge
func.func @compare_ints(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi1> {
  %0 = sinter.compare %a, %b {predicate = "ge"} : tensor<4xi64>, tensor<4xi64> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-DAG: #[[FULL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func @select_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[FULL]], #[[FULL]], #[[SCALAR]], #[[FULL]]]
// CHECK: arith.select
func.func @select_broadcast(%m: tensor<2x3xi1>, %x: tensor<2x3xf32>, %fill: tensor<f32>) -> tensor<2x3xf32> {
  %0 = sinter.select %m, %x, %fill : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
