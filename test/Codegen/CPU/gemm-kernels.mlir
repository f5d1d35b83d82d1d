// RUN: sinter-opt %s -pass-pipeline='builtin.module(sinter-gemm-kernels{vector-bits=256})' -split-input-file | FileCheck %s

// A matmul whose sizes the tiles do not divide: B is packed into 3 panels of
// 16 columns (the last zero-padded) and each M block of A into tiles of 6 rows;
// 6-row tiles of two vectors per row, whose accumulators are iter_args of the
// K loop; the 2 leftover rows (read from A in place) and the 5 leftover
// columns get tiles of their own static shape, with masked C access.
// (Tail panels: 5 valid columns of 16.)
// CHECK-LABEL: func @matmul
// CHECK-NOT: linalg.matmul
// CHECK: %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x100x16xf32>
// CHECK: %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16x100x6xf32>
// CHECK: scf.for
// CHECK: vector.store {{.*}}, %[[BP]]
// CHECK: } {sinter.parallel}
// CHECK: vector.from_elements {{.*}} : vector<6xf32>
// CHECK: vector.store {{.*}}, %[[AP]]
// CHECK: } {sinter.parallel}
// CHECK: vector.load %{{.*}} : memref<62x37xf32>, vector<8xf32>
// CHECK: %[[TILE:.*]]:12 = scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.load %[[BP]]
// CHECK: memref.load %[[AP]]
// CHECK: vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK-COUNT-12: vector.fma
// CHECK: vector.store %[[TILE]]#0
// The tail panel, in the same parallel loop: 5 valid columns of its 16, one
// partial vector per row.
// CHECK: } else {
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: vector.maskedstore
// CHECK: } {sinter.parallel}
// The 2 leftover rows, from A itself.
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: memref.load %{{.*}} : memref<62x100xf32>
func.func @matmul(%a: memref<62x100xf32>, %b: memref<100x37xf32>, %c: memref<62x37xf32>) {
  linalg.matmul ins(%a, %b : memref<62x100xf32>, memref<100x37xf32>) outs(%c : memref<62x37xf32>)
  return
}

// -----

// 64 rows: 4-row tiles of three vectors (64 = 16 x 4) instead of 6-row ones
// with a thin last tile; the panels are 24 columns wide.
// CHECK-LABEL: func @rows_divide
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2x32x24xf32>
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
func.func @rows_divide(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %c: memref<64x48xf32>) {
  linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  return
}

// -----

// A zero fill right before the GEMM is dropped: the first K block starts its
// accumulators from zero instead of reading C (which later K blocks read).
// CHECK-LABEL: func @zero_filled
// CHECK-NOT: linalg.fill
// CHECK: scf.if %{{.*}} -> (vector<8xf32>
// CHECK: arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: } else {
// CHECK: vector.load
func.func @zero_filled(%a: memref<24x300xf32>, %b: memref<300x64xf32>, %c: memref<24x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<24x64xf32>)
  linalg.matmul ins(%a, %b : memref<24x300xf32>, memref<300x64xf32>) outs(%c : memref<24x64xf32>)
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

// -----

// Constant operands are packed at compile time: A (7 rows) into two 6-row
// tiles over all of K, the second zero-padded; B (3 columns) into one panel
// of 8 columns (one vector: N needs no more). The originals are dropped.
// CHECK-DAG: memref.global "private" constant @__sinter_packed_a : memref<2x2x6xf32> = dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00, 7.000000e+00, 9.000000e+00, 1.100000e+01], [2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00, 1.000000e+01, 1.200000e+01]], {{\[\[}}1.300000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [1.400000e+01, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @__sinter_packed_b : memref<1x2x8xf32> = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]> {alignment = 64 : i64}
// CHECK-NOT: @filter
// CHECK-NOT: @weight
// With A constant and B read in place (too few rows to pack it), the row
// tiles are the parallel loop, panels and K blocks inside; the leftover row
// follows on its own.
// CHECK-LABEL: func @const_a
// CHECK: memref.get_global @__sinter_packed_a
// CHECK-NOT: vector.from_elements
// CHECK: scf.for %{{.*}} = %c0 to %{{.*}} step %c6 {
// CHECK: scf.for %{{.*}} step %c256 {
// CHECK: vector.fma
// CHECK: } {sinter.parallel}
// CHECK-NOT: sinter.parallel
// CHECK: return
// With A constant and B packed (more than a few rows), the panel loop is
// outermost, each panel packing its own part of B per K block: one parallel
// loop per GEMM.
// CHECK-LABEL: func @const_a_panels
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<3x2x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1 {
// CHECK: scf.for %{{.*}} step %c256 {
// CHECK: vector.store
// CHECK: vector.fma
// CHECK: } {sinter.parallel}
// CHECK-NEXT: return
// CHECK-LABEL: func @const_b
// CHECK: memref.get_global @__sinter_packed_b
// CHECK-NOT: memref.alloc
// CHECK: vector.fma
memref.global "private" constant @filter : memref<7x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0], [9.0, 10.0], [11.0, 12.0], [13.0, 14.0]]>
memref.global "private" constant @weight : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
func.func @const_a(%b: memref<2x40xf32>, %c: memref<7x40xf32>) {
  %a = memref.get_global @filter : memref<7x2xf32>
  linalg.matmul ins(%a, %b : memref<7x2xf32>, memref<2x40xf32>) outs(%c : memref<7x40xf32>)
  return
}
memref.global "private" constant @filter12 : memref<12x2xf32> = dense<2.0>
func.func @const_a_panels(%b: memref<2x40xf32>, %c: memref<12x40xf32>) {
  %a = memref.get_global @filter12 : memref<12x2xf32>
  linalg.matmul ins(%a, %b : memref<12x2xf32>, memref<2x40xf32>) outs(%c : memref<12x40xf32>)
  return
}
func.func @const_b(%a: memref<6x2xf32>, %c: memref<6x3xf32>) {
  %w = memref.get_global @weight : memref<2x3xf32>
  linalg.matmul ins(%a, %w : memref<6x2xf32>, memref<2x3xf32>) outs(%c : memref<6x3xf32>)
  return
}

// -----

// B the transpose of a constant (a tied LM head): packed from the constant at
// compile time; the run-time transpose and its buffer go.
// CHECK: memref.global "private" constant @__sinter_packed_b : memref<1x3x8xf32> = dense<{{\[\[\[}}1.000000e+00, 4.000000e+00, 0.000000e+00{{.*}}], [2.000000e+00, 5.000000e+00, 0.000000e+00{{.*}}], [3.000000e+00, 6.000000e+00, 0.000000e+00{{.*}}]]]>
// CHECK-NOT: @table
// CHECK-LABEL: func @transposed_b
// CHECK-NOT: linalg.transpose
// CHECK-NOT: memref.alloc
// CHECK: memref.get_global @__sinter_packed_b
memref.global "private" constant @table : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
func.func @transposed_b(%a: memref<6x3xf32>, %c: memref<6x2xf32>) {
  %w = memref.get_global @table : memref<2x3xf32>
  %t = memref.alloc() : memref<3x2xf32>
  linalg.transpose ins(%w : memref<2x3xf32>) outs(%t : memref<3x2xf32>) permutation = [1, 0]
  linalg.matmul ins(%a, %t : memref<6x3xf32>, memref<3x2xf32>) outs(%c : memref<6x2xf32>)
  return
}

// -----

// Epilogues: the bias and ReLU after a Gemm run on the accumulators, and the
// tile is stored to their output; the GEMM's own buffer and the elementwise
// pass go (K fits one K block).
// CHECK-LABEL: func @gemm_bias_relu
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.alloc() : memref<12x16xf32>
// CHECK: scf.for {{.*}} -> (vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.load %arg2[%{{.*}}] : memref<16xf32>, vector<8xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.store {{.*}}, %arg3[{{.*}}] : memref<12x16xf32>, vector<8xf32>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @gemm_bias_relu(%a: memref<12x8xf32>, %b: memref<8x16xf32>, %bias: memref<16xf32>, %out: memref<12x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<12x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<12x16xf32>)
  linalg.matmul ins(%a, %b : memref<12x8xf32>, memref<8x16xf32>) outs(%c : memref<12x16xf32>)
  linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]} ins(%c, %bias : memref<12x16xf32>, memref<16xf32>) outs(%out : memref<12x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A conv's epilogue: C is read through an expand_shape to [1, F, H, W]; the
// per-channel bias is one scalar per row of C (channel = row mod F), the
// residual is read through a [F, H*W] view of its own. With K over one K
// block, earlier blocks store partial sums to C and the last one applies
// the epilogue.
// CHECK-LABEL: func @conv_epilogue
// CHECK-DAG: memref.collapse_shape %arg3 {{\[\[}}0, 1], [2, 3]] : memref<1x16x4x4xf32> into memref<16x16xf32>
// CHECK-DAG: memref.collapse_shape %arg4 {{\[\[}}0, 1], [2, 3]] : memref<1x16x4x4xf32> into memref<16x16xf32>
// CHECK-NOT: linalg.generic
// CHECK: scf.if
// CHECK: arith.remui %{{.*}}, %c16
// CHECK: memref.load %arg2[%{{.*}}] : memref<16xf32>
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: } else {
// CHECK: vector.store {{.*}} : memref<16x16xf32>, vector<8xf32>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @conv_epilogue(%w: memref<16x300xf32>, %col: memref<300x16xf32>, %bias: memref<16xf32>, %residual: memref<1x16x4x4xf32>, %out: memref<1x16x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<16x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<16x16xf32>)
  linalg.matmul ins(%w, %col : memref<16x300xf32>, memref<300x16xf32>) outs(%c : memref<16x16xf32>)
  %e = memref.expand_shape %c [[0, 1], [2, 3]] output_shape [1, 16, 4, 4] : memref<16x16xf32> into memref<1x16x4x4xf32>
  linalg.generic {indexing_maps = [#id4, #chan, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%e, %bias, %residual : memref<1x16x4x4xf32>, memref<16xf32>, memref<1x16x4x4xf32>) outs(%out : memref<1x16x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.addf %s, %z : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// C read by another op too: no epilogue, the consumer stays.
// CHECK-LABEL: func @shared_result
// CHECK: linalg.generic
func.func @shared_result(%a: memref<12x8xf32>, %b: memref<8x16xf32>, %out: memref<12x16xf32>, %copy: memref<12x16xf32>) {
  %c = memref.alloc() : memref<12x16xf32>
  linalg.matmul ins(%a, %b : memref<12x8xf32>, memref<8x16xf32>) outs(%c : memref<12x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%c : memref<12x16xf32>) outs(%out : memref<12x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  memref.copy %c, %copy : memref<12x16xf32> to memref<12x16xf32>
  return
}
