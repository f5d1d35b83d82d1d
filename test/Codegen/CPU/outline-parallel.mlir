// RUN: sinter-opt %s -sinter-outline-parallel -split-input-file | FileCheck %s
// RUN: sinter-opt %s -sinter-outline-parallel -convert-scf-to-cf -finalize-memref-to-llvm -convert-arith-to-llvm -convert-func-to-llvm=use-bare-ptr-memref-call-conv -convert-cf-to-llvm -reconcile-unrealized-casts -split-input-file | FileCheck %s --check-prefix=LLVM

// A marked scf.for: the buffer travels in a stack struct allocated in the
// entry block, the constants are cloned into the body, and the runtime's entry
// point (declared weak) runs the body over [0, 64); where the entry point is
// missing, the caller runs the body over the whole range itself.
// CHECK: llvm.func extern_weak @sinter_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64)
// CHECK-LABEL: func @rows
// CHECK-NEXT: %[[ONE:.*]] = llvm.mlir.constant(1 : i64)
// CHECK-NEXT: %[[CTX:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>)>
// CHECK-NOT: scf.for
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<64x256xf32> to !llvm.struct
// CHECK: %[[SLOT:.*]] = llvm.getelementptr %[[CTX]][0, 0]
// CHECK: llvm.store %[[DESC]], %[[SLOT]]
// CHECK: %[[COUNT:.*]] = arith.constant 64 : i64
// CHECK: %[[RT:.*]] = llvm.mlir.addressof @sinter_rt_parallel_for
// CHECK: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[MISSING:.*]] = llvm.icmp "eq" %[[RT]], %[[NULL]]
// CHECK: scf.if %[[MISSING]] {
// CHECK:   call @rows_parallel(%[[CTX]], %{{.*}}, %[[COUNT]])
// CHECK: } else {
// CHECK:   %[[FN:.*]] = func.constant @rows_parallel
// CHECK:   %[[FNPTR:.*]] = builtin.unrealized_conversion_cast %[[FN]] {{.*}} to !llvm.ptr
// CHECK:   llvm.call @sinter_rt_parallel_for(%[[FNPTR]], %[[CTX]], %[[COUNT]])
// CHECK: }
// CHECK-LABEL: func private @rows_parallel
// CHECK-SAME: (%[[BCTX:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK-DAG: arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[BSLOT:.*]] = llvm.getelementptr %[[BCTX]][0, 0]
// CHECK: %[[LOADED:.*]] = llvm.load %[[BSLOT]]
// CHECK: %[[BUF:.*]] = builtin.unrealized_conversion_cast %[[LOADED]] {{.*}} to memref<64x256xf32>
// CHECK: %[[B:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK: %[[E:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:   scf.for
// CHECK:     memref.store %{{.*}}, %[[BUF]][%[[I]], %{{.*}}]
// CHECK-NOT: sinter.parallel
// CHECK: return

// After the LLVM conversions the casts have folded away: the body gets the
// descriptor straight from the struct.
// LLVM-LABEL: llvm.func @rows
// LLVM-NOT: unrealized_conversion_cast
// LLVM: llvm.call @sinter_rt_parallel_for
// LLVM-LABEL: llvm.func @rows_parallel(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// LLVM-NOT: unrealized_conversion_cast
// LLVM: llvm.return
func.func @rows(%buf: memref<64x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c64 step %c1 {
    scf.for %j = %c0 to %c256 step %c1 {
      memref.store %two, %buf[%i, %j] : memref<64x256xf32>
    }
  } {sinter.parallel}
  return
}

// -----

// A 2-D scf.parallel is collapsed: one linear index, split back into row and
// column; a lower bound and step other than 0 and 1 are kept.
// CHECK-LABEL: func @grid
// CHECK-NOT: scf.parallel
// CHECK: llvm.call @sinter_rt_parallel_for
// CHECK-LABEL: func private @grid_parallel
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:   %[[COL:.*]] = arith.remui %[[K]], %{{.*}}
// CHECK:   %[[ROW:.*]] = arith.divui %[[K]], %{{.*}}
// CHECK:   arith.muli %[[COL]]
// CHECK:   arith.muli %[[ROW]]
// CHECK:   scf.for
func.func @grid(%buf: memref<130x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c130 = arith.constant 130 : index
  %c128 = arith.constant 128 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c2, %c0) to (%c130, %c128) step (%c1, %c8) {
    scf.for %k = %c0 to %c8 step %c1 {
      %col = arith.addi %j, %k : index
      memref.store %one, %buf[%i, %col] : memref<130x128xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Too little work to pay for waking a thread: stays a serial loop, unmarked.
// CHECK-LABEL: func @tiny
// CHECK-NOT: sinter_rt_parallel_for
// CHECK: scf.for
// CHECK-NOT: sinter.parallel
// CHECK: return
func.func @tiny(%buf: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %buf[%i] : memref<4xf32>
  } {sinter.parallel}
  return
}

// -----

// Only the outermost parallel loop of a nest is outlined, even inside a serial
// loop; the inner one runs serially in the body, its marker dropped. The
// outer loop's bounds come from the serial loop, so they are captured and the
// trip count is computed at run time.
// CHECK-LABEL: func @nest
// CHECK: scf.for %[[T:.*]] =
// CHECK: builtin.unrealized_conversion_cast %[[T]] : index to i64
// CHECK: llvm.store
// CHECK: arith.ceildivsi
// CHECK: llvm.call @sinter_rt_parallel_for
// CHECK-LABEL: func private @nest_parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: sinter.parallel
// CHECK: return
func.func @nest(%buf: memref<4x512x512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c512 = arith.constant 512 : index
  %one = arith.constant 1.0 : f32
  scf.for %t = %c0 to %c4 step %c1 {
    %ub = arith.addi %t, %c512 : index
    scf.for %i = %t to %ub step %c1 {
      %row = arith.subi %i, %t : index
      scf.for %j = %c0 to %c512 step %c1 {
        memref.store %one, %buf[%t, %row, %j] : memref<4x512x512xf32>
      } {sinter.parallel}
    } {sinter.parallel}
  }
  return
}

// -----

// Loops that carry values or reduce are not parallel: left as they are.
// CHECK-LABEL: func @reductions
// CHECK-NOT: sinter_rt_parallel_for
// CHECK: scf.parallel
// CHECK: scf.reduce
// CHECK: scf.for {{.*}} iter_args
func.func @reductions(%buf: memref<4096xf32>) -> (f32, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c4096) step (%c1) init (%zero) -> f32 {
    %v = memref.load %buf[%i] : memref<4096xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  %acc = scf.for %i = %c0 to %c4096 step %c1 iter_args(%a = %zero) -> f32 {
    %v = memref.load %buf[%i] : memref<4096xf32>
    %s = arith.addf %a, %v : f32
    scf.yield %s : f32
  } {sinter.parallel}
  return %sum, %acc : f32, f32
}
