// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-lower-vectors))' -split-input-file | FileCheck %s

// f32 erf, tanh, exp and log on vectors become polynomials (FMAs), not libm
// calls per lane; log first scales denormal inputs into the normal range.
// CHECK-LABEL: func @approximated
// CHECK-NOT: math.erf
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK: math.fma {{.*}} : vector<8xf32>
func.func @approximated(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  %e = math.erf %x : vector<8xf32>
  %t = math.tanh %x : vector<8xf32>
  %x2 = math.exp %x : vector<8xf32>
  %l = math.log %x : vector<8xf32>
  return %e, %t, %x2, %l : vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// -----

// Scalars keep libm's correctly rounded functions.
// CHECK-LABEL: func @scalars_kept
// CHECK: math.erf {{.*}} : f32
// CHECK: math.exp {{.*}} : f32
func.func @scalars_kept(%x: f32) -> (f32, f32) {
  %e = math.erf %x : f32
  %x2 = math.exp %x : f32
  return %e, %x2 : f32, f32
}

// -----

// A horizontal reduction: halves combined log2(32) = 5 times, then the
// accumulator; no chain of 31 scalar adds.
// CHECK-LABEL: func @horizontal_sum
// CHECK-NOT: vector.multi_reduction
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: arith.addf {{.*}} : vector<4xf32>
// CHECK: arith.addf {{.*}} : vector<2xf32>
// CHECK: arith.addf {{.*}} : vector<1xf32>
// CHECK: arith.addf {{.*}} : f32
// CHECK-NOT: arith.addf
func.func @horizontal_sum(%v: vector<1x32xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<1x32xf32> to vector<1xf32>
  return %r : vector<1xf32>
}

// -----

// An odd length: the last lane joins at the end.
// CHECK-LABEL: func @horizontal_max_odd
// CHECK-NOT: vector.multi_reduction
// CHECK: arith.maximumf {{.*}} : vector<3xf32>
// CHECK: arith.maximumf {{.*}} : vector<1xf32>
// CHECK: arith.maximumf {{.*}} : f32
// CHECK: arith.maximumf {{.*}} : f32
// CHECK: arith.maximumf {{.*}} : f32
func.func @horizontal_max_odd(%v: vector<7xf32>, %acc: f32) -> f32 {
  %r = vector.multi_reduction <maximumf>, %v, %acc [0] : vector<7xf32> to f32
  return %r : f32
}
