// RUN: sinter-opt %s -sinter-plan-memory -canonicalize -split-input-file -verify-diagnostics | FileCheck %s

// Three buffers: %a dies when %c is born, so %c reuses %a's bytes; %b lives
// across both and gets its own place.
// CHECK-LABEL: func @reuse
// CHECK-SAME: %[[WS:[a-z0-9]+]]: memref<2048xi8>
// CHECK-SAME: sinter.workspace_size = 2048
// CHECK-NOT: memref.alloc
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1K:.*]] = arith.constant 1024 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<2048xi8> to memref<16x16xf32>
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C1K]]][] : memref<2048xi8> to memref<16x16xf32>
// CHECK: memref.copy %[[A]], %[[B]]
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<2048xi8> to memref<16x16xf32>
// CHECK: memref.copy %[[B]], %[[C]]
func.func @reuse(%in: memref<16x16xf32>, %out: memref<16x16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  memref.copy %in, %a : memref<16x16xf32> to memref<16x16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  memref.copy %a, %b : memref<16x16xf32> to memref<16x16xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  memref.copy %b, %c : memref<16x16xf32> to memref<16x16xf32>
  memref.copy %c, %out : memref<16x16xf32> to memref<16x16xf32>
  memref.copy %b, %out : memref<16x16xf32> to memref<16x16xf32>
  return
}

// -----

// A view keeps its buffer alive: %a is read through %v after %b is born.
// CHECK-LABEL: func @alias
// CHECK-SAME: sinter.workspace_size = 128
func.func @alias(%out: memref<4x4xf32>) {
  %a = memref.alloc() : memref<16xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %b = memref.alloc() : memref<4x4xf32>
  memref.copy %v, %b : memref<4x4xf32> to memref<4x4xf32>
  memref.copy %b, %out : memref<4x4xf32> to memref<4x4xf32>
  return
}

// -----

func.func @in_loop(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error@+1 {{cannot place an allocation inside a loop}}
    %a = memref.alloc() : memref<4xf32>
    memref.copy %a, %out : memref<4xf32> to memref<4xf32>
  }
  return
}
