// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// A gather reads through a wrapped and clamped index, so it never leaves data.
// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<3x2xi32>)
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<3x4xf32>
func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<3x2xi32>) -> tensor<3x2xf32> {
  %0 = sinter.gather_elements %x, %i {axis = 1 : i64} : tensor<3x4xf32>, tensor<3x2xi32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Each element reads its index tuple, then data; batch dimensions are shared.
// CHECK-LABEL: func.func @gather_nd
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x5xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<2x3x1xi64>
// CHECK: tensor.extract %{{.*}} : tensor<2x4x5xf32>
func.func @gather_nd(%x: tensor<2x4x5xf32>, %i: tensor<2x3x1xi64>) -> tensor<2x3x5xf32> {
  %0 = sinter.gather_nd %x, %i {batch_dims = 1 : i64} : tensor<2x4x5xf32>, tensor<2x3x1xi64> -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Scatters loop over the updates in order on a tensor carried by the loops; an
// out-of-range index rewrites its clamped element unchanged.
// CHECK-LABEL: func.func @scatter_elements
// CHECK-SAME: (%[[X:.+]]: tensor<3x3xf32>
// CHECK: scf.for {{.*}} iter_args(%[[A:.+]] = %[[X]]) -> (tensor<3x3xf32>)
// CHECK: scf.for {{.*}} iter_args(%[[B:.+]] = %[[A]]) -> (tensor<3x3xf32>)
// CHECK: %[[CUR:.+]] = tensor.extract %[[B]]
// CHECK: %[[SUM:.+]] = arith.addf %[[CUR]]
// CHECK: %[[NEW:.+]] = arith.select %{{.+}}, %[[SUM]], %[[CUR]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[B]]
func.func @scatter_elements(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<3x3xf32> {
  %0 = sinter.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = "add"} : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Unsigned max compares unsigned, through signless casts.
// CHECK-LABEL: func.func @scatter_nd
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.maxui
// CHECK: tensor.insert %{{.*}} : tensor<4x5xui8>
func.func @scatter_nd(%x: tensor<4x5xui8>, %i: tensor<2x1xi64>, %u: tensor<2x5xui8>) -> tensor<4x5xui8> {
  %0 = sinter.scatter_nd %x, %i, %u {reduction = "max"} : tensor<4x5xui8>, tensor<2x1xi64>, tensor<2x5xui8> -> tensor<4x5xui8>
  return %0 : tensor<4x5xui8>
}

// -----

// One reduction with two results: the best value and its index.
// CHECK-LABEL: func.func @argmin_last
// CHECK: %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK: linalg.fill ins(%[[INF]] : f32)
// CHECK: %{{.+}}:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf oeq
// CHECK: arith.ori
// CHECK: linalg.index 1
// CHECK: tensor.expand_shape
func.func @argmin_last(%x: tensor<3x4xf32>) -> tensor<3x1xi64> {
  %0 = sinter.argmin %x {axis = 1 : i64, select_last_index = true} : tensor<3x4xf32> -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// Selection: per row, k passes over the row.
// CHECK-LABEL: func.func @topk
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4
// CHECK: tensor.extract
// CHECK: arith.cmpi sgt
// CHECK: scf.yield
// CHECK: tensor.insert
// CHECK: tensor.insert
func.func @topk(%x: tensor<3x4xi32>) -> (tensor<3x2xi32>, tensor<3x2xi64>) {
  %v, %i = sinter.topk %x {axis = 1 : i64, k = 2 : i64} : tensor<3x4xi32> -> tensor<3x2xi32>, tensor<3x2xi64>
  return %v, %i : tensor<3x2xi32>, tensor<3x2xi64>
}

// -----

// f16 scans accumulate in f32; reverse runs from the last index down.
// CHECK-LABEL: func.func @cumsum
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args({{.*}}, %[[ACC:.+]] = %{{.+}}) -> (tensor<5x3xf16>, f32)
// CHECK: arith.subi
// CHECK: arith.extf
// CHECK: arith.addf %[[ACC]]
// CHECK: arith.truncf %[[ACC]]
func.func @cumsum(%x: tensor<5x3xf16>) -> tensor<5x3xf16> {
  %0 = sinter.cumsum %x {axis = 0 : i64, exclusive = true, reverse = true} : tensor<5x3xf16> -> tensor<5x3xf16>
  return %0 : tensor<5x3xf16>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: linalg.generic
// CHECK: %[[I:.+]] = linalg.index 1
// CHECK: %[[J:.+]] = linalg.index 2
// CHECK: %[[D:.+]] = arith.subi %[[J]], %[[I]]
// CHECK: arith.cmpi sle, %[[D]], %c-1
// CHECK: arith.select
func.func @trilu(%x: tensor<2x3x4xi64>) -> tensor<2x3x4xi64> {
  %0 = sinter.trilu %x {k = -1 : i64, upper = false} : tensor<2x3x4xi64> -> tensor<2x3x4xi64>
  return %0 : tensor<2x3x4xi64>
}

// -----

// CHECK-LABEL: func.func @reverse_sequence
// CHECK: linalg.generic
// CHECK: tensor.extract %{{.*}} : tensor<3xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %{{.*}} : tensor<4x3x2xf32>
func.func @reverse_sequence(%x: tensor<4x3x2xf32>, %l: tensor<3xi64>) -> tensor<4x3x2xf32> {
  %0 = sinter.reverse_sequence %x, %l {batch_axis = 1 : i64, time_axis = 0 : i64} : tensor<4x3x2xf32>, tensor<3xi64> -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}
