// RUN: sinter-opt %s -sinter-plan-memory | FileCheck %s

// The plan's size between its two bounds. Lifetimes count from a buffer's
// first use, not from its (hoisted) allocation. Largest first, %b and %d
// share bytes 0-191 (never live together), %a goes above %d and %c above
// %a and %b: 448 bytes. Apart, the buffers need 640 bytes; at most 320 are
// ever live at once (%a + %d, then %b + %c), so a better order could do
// with 320: the three numbers differ.
// CHECK-LABEL: func @bounds
// CHECK-SAME: sinter.intermediate_bytes = 640
// CHECK-SAME: sinter.peak_live_bytes = 320
// CHECK-SAME: sinter.workspace_size = 448
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C192:.*]] = arith.constant 192 : index
// CHECK-DAG: %[[C320:.*]] = arith.constant 320 : index
// CHECK-DAG: memref.view %{{.*}}[%[[C192]]][] : memref<448xi8> to memref<32xf32>
// CHECK-DAG: memref.view %{{.*}}[%[[C0]]][] : memref<448xi8> to memref<48xf32>
// CHECK-DAG: memref.view %{{.*}}[%[[C320]]][] : memref<448xi8> to memref<32xf32>
func.func private @use(memref<?xf32>, memref<?xf32>)

func.func @bounds() {
  %a = memref.alloc() : memref<32xf32>
  %b = memref.alloc() : memref<48xf32>
  %c = memref.alloc() : memref<32xf32>
  %d = memref.alloc() : memref<48xf32>
  %va = memref.cast %a : memref<32xf32> to memref<?xf32>
  %vb = memref.cast %b : memref<48xf32> to memref<?xf32>
  %vc = memref.cast %c : memref<32xf32> to memref<?xf32>
  %vd = memref.cast %d : memref<48xf32> to memref<?xf32>
  func.call @use(%va, %vd) : (memref<?xf32>, memref<?xf32>) -> ()
  func.call @use(%vc, %vc) : (memref<?xf32>, memref<?xf32>) -> ()
  func.call @use(%va, %va) : (memref<?xf32>, memref<?xf32>) -> ()
  func.call @use(%vb, %vc) : (memref<?xf32>, memref<?xf32>) -> ()
  return
}
