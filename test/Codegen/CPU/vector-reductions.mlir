// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-tile-and-vectorize{vector-bits=256}))' -split-input-file | FileCheck %s

// A reduction over the innermost axis (softmax's sum of exponentials): rows
// are the parallel outer loop, the row is read four vectors at a time into a
// vector accumulator carried by the loop, and the lanes are reduced once,
// after it; the remainder of the row (100 = 3 * 32 + 4) is one tile of its own.
// CHECK-LABEL: func @row_sum_exp
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK: %[[SUM:.*]] = scf.for {{.*}} step %c32 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x32xf32>)
// CHECK: %[[X:.*]] = vector.transfer_read {{.*}} : memref<4x100xf32>, vector<1x32xf32>
// CHECK: %[[E:.*]] = math.exp {{.*}} : vector<1x32xf32>
// CHECK: %[[NEXT:.*]] = arith.addf %[[E]], %[[ACC]] : vector<1x32xf32>
// CHECK: scf.yield %[[NEXT]]
// CHECK: vector.multi_reduction <add>, %[[SUM]], %{{.*}} [1] : vector<1x32xf32> to vector<1xf32>
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<1x4xf32> to vector<1xf32>
// CHECK: } {sinter.parallel}
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @row_sum_exp(%x: memref<4x100xf32>, %m: memref<4xf32>, %s: memref<4xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : memref<4x100xf32>, memref<4xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%in: f32, %mx: f32, %out: f32):
    %d = arith.subf %in, %mx : f32
    %e = math.exp %d : f32
    %r = arith.addf %e, %out : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A reduction over an outer axis: the parallel innermost axis is vectorized
// (four vectors), its tiles are the parallel loop, and the reduced axis is
// the inner loop with the output vector as its accumulator.
// CHECK-LABEL: func @column_max
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} step %c32
// CHECK: %[[INIT:.*]] = vector.transfer_read {{.*}} : memref<64xf32>, vector<32xf32>
// CHECK: %[[MAX:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (vector<32xf32>)
// CHECK: arith.maximumf %[[ACC]], {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write %[[MAX]], {{.*}} : vector<32xf32>, memref<64xf32>
// CHECK: } {sinter.parallel}
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @column_max(%x: memref<50x64xf32>, %s: memref<64xf32>) {
  linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<50x64xf32>) outs(%s : memref<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %out : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Global average pooling's sum over H x W (7 x 7): one vector of a row per
// step of the H loop, accumulated in a vector; channels are the parallel loop.
// CHECK-LABEL: func @spatial_sum
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x1x1x7xf32>)
// CHECK: arith.addf {{.*}}, %[[ACC]] : vector<1x1x1x7xf32>
// CHECK: vector.multi_reduction <add>, %[[SUM]], {{.*}} [2, 3] : vector<1x1x1x7xf32> to vector<1x1xf32>
// CHECK: } {sinter.parallel}
#in = affine_map<(n, c, h, w) -> (n, c, h, w)>
#out = affine_map<(n, c, h, w) -> (n, c)>
func.func @spatial_sum(%x: memref<1x16x7x7xf32>, %s: memref<1x16xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : memref<1x16x7x7xf32>) outs(%s : memref<1x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Elementwise ops: the outermost tile loop is marked for threads.
// CHECK-LABEL: func @elementwise_parallel
// CHECK: scf.for
// CHECK: scf.for {{.*}} step %c8
// CHECK: math.tanh {{.*}} : vector<1x8xf32>
// CHECK: } {sinter.parallel}
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @elementwise_parallel(%x: memref<4x32xf32>, %y: memref<4x32xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x32xf32>) outs(%y : memref<4x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// f64 tanh has no polynomial and no vector intrinsic: it stays scalar.
// CHECK-LABEL: func @f64_tanh_stays_scalar
// CHECK: linalg.generic
#id = affine_map<(d0) -> (d0)>
func.func @f64_tanh_stays_scalar(%x: memref<32xf64>, %y: memref<32xf64>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : memref<32xf64>) outs(%y : memref<32xf64>) {
  ^bb0(%in: f64, %out: f64):
    %t = math.tanh %in : f64
    linalg.yield %t : f64
  }
  return
}

// -----

// Softmax's three kernels (max, sum of exponentials, normalization) share
// one row loop: each row goes through the chain before the next; the fill
// of the sum moves above it, the output's allocation too.
// CHECK-LABEL: func @softmax_rows
// CHECK-COUNT-2: vector.transfer_write {{.*}} : vector<4xf32>, memref<4xf32>
// CHECK: scf.for
// CHECK: arith.maximumf {{.*}} : vector<1x32xf32>
// CHECK: math.exp
// CHECK: arith.addf {{.*}} : vector<1x32xf32>
// CHECK: arith.divf {{.*}} : vector<1x8xf32>
// CHECK: } {sinter.parallel}
// CHECK-NOT: scf.for
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @softmax_rows(%x: memref<4x64xf32>) -> memref<4x64xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %max = memref.alloc() : memref<4xf32>
  linalg.fill ins(%ninf : f32) outs(%max : memref<4xf32>)
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %out : f32
    linalg.yield %r : f32
  }
  %sum = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%sum : memref<4xf32>)
  linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %max : memref<4x64xf32>, memref<4xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    %r = arith.addf %e, %out : f32
    linalg.yield %r : f32
  }
  %y = memref.alloc() : memref<4x64xf32>
  linalg.generic {indexing_maps = [#id, #row, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max, %sum : memref<4x64xf32>, memref<4xf32>, memref<4xf32>) outs(%y : memref<4x64xf32>) {
  ^bb0(%in: f32, %m: f32, %s: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    %r = arith.divf %e, %s : f32
    linalg.yield %r : f32
  }
  return %y : memref<4x64xf32>
}

// -----

// A kernel that reads another row than its own (here the transposed buffer)
// keeps its own loop.
// CHECK-LABEL: func @no_fusion_across_rows
// CHECK: } {sinter.parallel}
// CHECK: } {sinter.parallel}
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @no_fusion_across_rows(%x: memref<16x16xf32>, %y: memref<16x16xf32>, %z: memref<16x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x16xf32>) outs(%y : memref<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.mulf %in, %in : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : memref<16x16xf32>) outs(%z : memref<16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// An accumulator reached through a view (keepdims' expand_shape) is still
// carried in registers: no other access in the loop touches its buffer.
// CHECK-LABEL: func @accumulator_behind_view
// CHECK: scf.for
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<1x1x1x32xf32>)
// CHECK-NOT: vector.transfer_write
// CHECK: arith.addf {{.*}}, %[[ACC]] : vector<1x1x1x32xf32>
// CHECK: scf.yield
// CHECK: vector.multi_reduction <add>, %[[SUM]]
// CHECK: vector.transfer_write {{.*}} : vector<1x1x1xf32>, memref<1x8x1xf32>
#in = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#out = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @accumulator_behind_view(%x: memref<1x8x1x64xf32>, %s: memref<1x8xf32>) {
  %view = memref.expand_shape %s [[0], [1, 2]] output_shape [1, 8, 1] : memref<1x8xf32> into memref<1x8x1xf32>
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x : memref<1x8x1x64xf32>) outs(%view : memref<1x8x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  }
  return
}
