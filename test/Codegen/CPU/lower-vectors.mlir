// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-lower-vectors))' | FileCheck %s

// A register tile's contraction becomes one FMA per row: a broadcast element
// of A times the row of B, added to that row of the accumulator.
// CHECK-LABEL: func @contract_to_fma
// CHECK-NOT: vector.contract
// CHECK-COUNT-2: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: vector.fma
func.func @contract_to_fma(%a: vector<2x1xf32>, %b: vector<1x16xf32>, %c: vector<2x16xf32>) -> vector<2x16xf32> {
  %r = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                        iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>}
       %a, %b, %c : vector<2x1xf32>, vector<1x16xf32> into vector<2x16xf32>
  return %r : vector<2x16xf32>
}

// 2-D transfers become one 1-D load or store per row.
// CHECK-LABEL: func @transfers
// CHECK-NOT: vector.transfer_read
// CHECK-COUNT-2: vector.load {{.*}} : memref<4x16xf32>, vector<16xf32>
// CHECK-COUNT-2: vector.store {{.*}} : memref<4x16xf32>, vector<16xf32>
func.func @transfers(%m: memref<4x16xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%i, %c0], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<2x16xf32>
  vector.transfer_write %v, %m[%c0, %c0] {in_bounds = [true, true]} : vector<2x16xf32>, memref<4x16xf32>
  return
}
