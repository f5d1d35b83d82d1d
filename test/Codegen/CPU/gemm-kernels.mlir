// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-gemm-kernels{vector-bits=256}))' -split-input-file | FileCheck %s

// A matmul whose sizes the tiles do not divide: B is packed into 3 panels of
// 16 columns (the last zero-padded); 6-row tiles of two vectors per row, whose
// accumulators are iter_args of the K loop; the 4 leftover rows and the 8
// leftover columns get tiles of their own static shape, with masked C access.
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x100x16xf32>
// CHECK: scf.for
// CHECK: vector.store {{.*}}, %[[BP]]
// CHECK: scf.for {{.*}} {
// CHECK: vector.load %{{.*}} : memref<64x40xf32>, vector<8xf32>
// CHECK: %[[TILE:.*]]:12 = scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.load %[[BP]]
// CHECK: memref.load {{.*}} : memref<64x100xf32>
// CHECK: vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK-COUNT-12: vector.fma
// CHECK: vector.store %[[TILE]]#0
// CHECK: } {sinter.parallel}
// The tail panel: 8 valid columns of its 16, one vector per row.
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// The 4 leftover rows.
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
func.func @matmul(%a: memref<64x100xf32>, %b: memref<100x40xf32>, %c: memref<64x40xf32>) {
  linalg.matmul ins(%a, %b : memref<64x100xf32>, memref<100x40xf32>) outs(%c : memref<64x40xf32>)
  return
}

// -----

// A zero fill right before the GEMM is dropped: the first K block starts its
// accumulators from zero instead of reading C.
// CHECK-LABEL: func @zero_filled
// CHECK-NOT: linalg.fill
// CHECK: scf.if %{{.*}} -> (vector<8xf32>
// CHECK: arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: } else {
// CHECK: vector.load
func.func @zero_filled(%a: memref<24x32xf32>, %b: memref<32x64xf32>, %c: memref<24x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<24x64xf32>)
  linalg.matmul ins(%a, %b : memref<24x32xf32>, memref<32x64xf32>) outs(%c : memref<24x64xf32>)
  return
}

// -----

// A nonzero fill (a broadcast bias) stays, and the kernel accumulates onto it.
// CHECK-LABEL: func @bias_filled
// CHECK: linalg.fill
// CHECK-NOT: scf.if
// CHECK-NOT: linalg.matmul
func.func @bias_filled(%a: memref<24x32xf32>, %b: memref<32x64xf32>, %c: memref<24x64xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<24x64xf32>)
  linalg.matmul ins(%a, %b : memref<24x32xf32>, memref<32x64xf32>) outs(%c : memref<24x64xf32>)
  return
}

// -----

// One row (a GEMV): one wide tile of 6 vectors (12 accumulators' budget over
// one row, capped by N = 48), B read in place, no packing.
// CHECK-LABEL: func @gemv
// CHECK-NOT: memref.alloc
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-6: vector.fma
func.func @gemv(%a: memref<1x256xf32>, %b: memref<256x48xf32>, %c: memref<1x48xf32>) {
  linalg.matmul ins(%a, %b : memref<1x256xf32>, memref<256x48xf32>) outs(%c : memref<1x48xf32>)
  return
}

// -----

// A batch matmul: the batch loop runs on threads; each batch element's B is
// read in place through rank-reducing subviews.
// CHECK-LABEL: func @batch
// CHECK-NOT: memref.alloc
// CHECK: scf.for
// CHECK: memref.subview {{.*}} : memref<4x16x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
// CHECK: vector.fma
// CHECK: } {sinter.parallel}
func.func @batch(%a: memref<4x16x8xf32>, %b: memref<4x8x32xf32>, %c: memref<4x16x32xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<4x16x8xf32>, memref<4x8x32xf32>) outs(%c : memref<4x16x32xf32>)
  return
}

// -----

// Transposed maps and integer GEMMs are left alone.
// CHECK-LABEL: func @not_taken
// CHECK: linalg.matmul
func.func @not_taken(%a: memref<8x8xi32>, %b: memref<8x8xi32>, %c: memref<8x8xi32>) {
  linalg.matmul ins(%a, %b : memref<8x8xi32>, memref<8x8xi32>) outs(%c : memref<8x8xi32>)
  return
}
