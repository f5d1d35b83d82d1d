// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = sinter.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[A:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: %[[B:.+]] = tensor.expand_shape %[[A]] {{\[\[}}0, 1], [2]] output_shape [1, 2, 12] : tensor<2x12xf32> into tensor<1x2x12xf32>
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[B]] {{\[\[}}0, 1], [2]] : tensor<1x2x12xf32> into tensor<2x12xf32>
// CHECK: return %[[C]]
func.func @reshapes(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = sinter.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = sinter.unsqueeze %0 {axes = array<i64: 0>} : tensor<2x12xf32> -> tensor<1x2x12xf32>
  %2 = sinter.squeeze %1 {axes = array<i64: 0>} : tensor<1x2x12xf32> -> tensor<2x12xf32>
  return %2 : tensor<2x12xf32>
}

// -----

// Neither a pure collapse nor a pure expansion: through one dimension.
// CHECK-LABEL: func.func @reshape_regroup
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
func.func @reshape_regroup(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = sinter.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[INIT:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = sinter.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x5xf32>)
// CHECK: %[[INIT:.+]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[R1:.+]] = tensor.insert_slice %[[A]] into %[[INIT]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %[[B]] into %[[R1]][0, 3] [2, 5] [1, 1]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = sinter.concat %a, %b {axis = -1 : i64} : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %{{.+}}[0, 1] [2, 2] [1, 2] : tensor<2x6xf32> to tensor<2x2xf32>
func.func @slice(%x: tensor<2x6xf32>) -> tensor<2x2xf32> {
  %0 = sinter.slice %x {starts = array<i64: 0, 1>, sizes = array<i64: 2, 2>, steps = array<i64: 1, 2>} : tensor<2x6xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A negative step reads start + i * step through linalg.index and extract.
// CHECK-LABEL: func.func @slice_negative_step
// CHECK-SAME: (%[[X:.+]]: tensor<2x6xf32>)
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<2x3xf32>)
// CHECK-DAG: %[[I:.+]] = linalg.index 0 : index
// CHECK-DAG: %[[J:.+]] = linalg.index 1 : index
// CHECK-DAG: %[[MINUS_TWO:.+]] = arith.constant -2 : index
// CHECK-DAG: %[[FIVE:.+]] = arith.constant 5 : index
// CHECK-DAG: %[[JS:.+]] = arith.muli %[[J]], %[[MINUS_TWO]]
// CHECK-DAG: %[[COL:.+]] = arith.addi %[[FIVE]], %[[JS]]
// CHECK: tensor.extract %[[X]][%{{.+}}, %[[COL]]] : tensor<2x6xf32>
func.func @slice_negative_step(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  %0 = sinter.slice %x {starts = array<i64: 0, 5>, sizes = array<i64: 2, 3>, steps = array<i64: 1, -2>} : tensor<2x6xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Gather: the index is read through the generic's maps, wrapped when
// negative and clamped to [0, 99], so it never reads out of bounds.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[DATA:.+]]: tensor<100x16xf32>, %[[IDS:.+]]: tensor<1x8xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<1x8xi64>)
// CHECK: ^bb0(%[[RAW:.+]]: i64, %{{.+}}: f32):
// CHECK:   %[[I:.+]] = arith.index_cast %[[RAW]] : i64 to index
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[SIZE:.+]] = arith.constant 100 : index
// CHECK-DAG: %[[LAST:.+]] = arith.constant 99 : index
// CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[I]], %[[ZERO]]
// CHECK:   %[[UP:.+]] = arith.addi %[[I]], %[[SIZE]]
// CHECK:   %[[W:.+]] = arith.select %[[NEG]], %[[UP]], %[[I]]
// CHECK:   %[[LO:.+]] = arith.maxsi %[[W]], %[[ZERO]]
// CHECK:   %[[C:.+]] = arith.minsi %[[LO]], %[[LAST]]
// CHECK:   %[[K:.+]] = linalg.index 2 : index
// CHECK:   tensor.extract %[[DATA]][%[[C]], %[[K]]] : tensor<100x16xf32>
func.func @gather(%table: tensor<100x16xf32>, %ids: tensor<1x8xi64>) -> tensor<1x8x16xf32> {
  %0 = sinter.gather %table, %ids {axis = 0 : i64} : tensor<100x16xf32>, tensor<1x8xi64> -> tensor<1x8x16xf32>
  return %0 : tensor<1x8x16xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.sitofp %{{.+}} : i32 to f32
// CHECK: arith.truncf %{{.+}} : f32 to f16
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: arith.truncf %{{.+}} : f32 to bf16
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpf une, %{{.+}}, %[[ZERO]] : f32
// CHECK: arith.uitofp %{{.+}} : i1 to f32
// CHECK: arith.extui %{{.+}} : i1 to i64
// CHECK: arith.trunci %{{.+}} : i64 to i8
// CHECK: %[[IZERO:.+]] = arith.constant 0 : i8
// CHECK: arith.cmpi ne, %{{.+}}, %[[IZERO]] : i8
func.func @casts(%x: tensor<4xf32>) -> (tensor<4xbf16>, tensor<4xf32>, tensor<4xi1>) {
  %0 = sinter.cast %x : tensor<4xf32> -> tensor<4xi32>
  %1 = sinter.cast %0 : tensor<4xi32> -> tensor<4xf16>
  %2 = sinter.cast %1 : tensor<4xf16> -> tensor<4xbf16>
  %3 = sinter.cast %x : tensor<4xf32> -> tensor<4xi1>
  %4 = sinter.cast %3 : tensor<4xi1> -> tensor<4xf32>
  %5 = sinter.cast %3 : tensor<4xi1> -> tensor<4xi64>
  %6 = sinter.cast %5 : tensor<4xi64> -> tensor<4xi8>
  %7 = sinter.cast %6 : tensor<4xi8> -> tensor<4xi1>
  return %2, %4, %7 : tensor<4xbf16>, tensor<4xf32>, tensor<4xi1>
}

// -----

// Unsigned elements: data movement is lowered as is.
// CHECK-LABEL: func.func @unsigned_data_movement
// CHECK: tensor.collapse_shape %{{.+}} : tensor<2x2xui8> into tensor<4xui8>
// CHECK: tensor.extract %{{.+}} : tensor<4xui8>
func.func @unsigned_data_movement(%x: tensor<2x2xui8>, %i: tensor<3xi32>) -> tensor<3xui8> {
  %0 = sinter.reshape %x : tensor<2x2xui8> -> tensor<4xui8>
  %1 = sinter.gather %0, %i {axis = 0 : i64} : tensor<4xui8>, tensor<3xi32> -> tensor<3xui8>
  return %1 : tensor<3xui8>
}
