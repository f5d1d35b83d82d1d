// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-tile-and-vectorize{vector-bits=256}))' -split-input-file | FileCheck %s

// A matmul becomes 6x16 register tiles (256-bit vectors: two per row) around a
// K loop whose accumulator is carried in registers, not re-read from memory.
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[ACC:.*]] = vector.transfer_read %{{.*}} : memref<24x64xf32>, vector<6x16xf32>
// CHECK: scf.for {{.*}} iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<6x16xf32>)
// CHECK: vector.transfer_read {{.*}} vector<6x1xf32>
// CHECK: vector.transfer_read {{.*}} vector<1x16xf32>
// CHECK: vector.contract {{.*}} %[[A]] : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<6x16xf32>, memref<24x64xf32>
func.func @matmul(%a: memref<24x32xf32>, %b: memref<32x64xf32>, %c: memref<24x64xf32>) {
  linalg.matmul ins(%a, %b : memref<24x32xf32>, memref<32x64xf32>) outs(%c : memref<24x64xf32>)
  return
}

// -----

// Sizes that the tiles do not divide: the remainders are peeled into tiles of
// their own static shape (here 4 rows and 3 columns), so everything vectorizes.
// CHECK-LABEL: func @matmul_remainders
// CHECK-NOT: linalg.matmul
// CHECK-DAG: vector.contract {{.*}} into vector<6x16xf32>
// CHECK-DAG: vector.contract {{.*}} into vector<4x16xf32>
// CHECK-DAG: vector.contract {{.*}} into vector<6x3xf32>
// CHECK-DAG: vector.contract {{.*}} into vector<4x3xf32>
func.func @matmul_remainders(%a: memref<10x8xf32>, %b: memref<8x19xf32>, %c: memref<10x19xf32>) {
  linalg.matmul ins(%a, %b : memref<10x8xf32>, memref<8x19xf32>) outs(%c : memref<10x19xf32>)
  return
}

// -----

// Elementwise ops: one vector of the innermost dimension per iteration,
// broadcasts read as broadcasting transfers.
// CHECK-LABEL: func @bias_relu
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK: scf.for {{.*}} step %c8
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : memref<4x32xf32>, vector<1x8xf32>
// CHECK: %[[B:.*]] = vector.transfer_read {{.*}} : memref<32xf32>, vector<1x8xf32>
// CHECK: %[[S:.*]] = arith.addf %[[X]], %[[B]] : vector<1x8xf32>
// CHECK: arith.maximumf %[[S]], {{.*}} : vector<1x8xf32>
// CHECK: vector.transfer_write
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @bias_relu(%x: memref<4x32xf32>, %bias: memref<32xf32>, %y: memref<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : memref<4x32xf32>, memref<32xf32>) outs(%y : memref<4x32xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// What would be stored wrongly as a vector (i1 is bit-packed) or has no vector
// form (a load in the body) stays a linalg op for the loop lowering.
// CHECK-LABEL: func @left_alone
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.
#map = affine_map<(d0) -> (d0)>
func.func @left_alone(%x: memref<16xf32>, %m: memref<16xi1>, %t: memref<4xf32>, %i: memref<16xindex>, %y: memref<16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
      ins(%x, %m : memref<16xf32>, memref<16xi1>) outs(%y : memref<16xf32>) {
  ^bb0(%in: f32, %keep: i1, %out: f32):
    %r = arith.select %keep, %in, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%i : memref<16xindex>) outs(%y : memref<16xf32>) {
  ^bb0(%idx: index, %out: f32):
    %v = memref.load %t[%idx] : memref<4xf32>
    linalg.yield %v : f32
  }
  return
}
