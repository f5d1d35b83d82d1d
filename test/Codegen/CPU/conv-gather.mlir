// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-conv-gather,canonicalize))' -split-input-file | FileCheck %s

// A stride-2 tap of an im2col gather: rows of 8 outputs, each a load of 16
// contiguous inputs and a shuffle of the even lanes; the row's last 5 outputs
// are masked; the copy of the col slice onto itself goes.
// CHECK-LABEL: func @stride2
// CHECK-NOT: linalg.
// CHECK: scf.for %[[C:.*]] = %c0 to %c3 step %c1 {
// CHECK: scf.for %[[R:.*]] = %c0 to %c13 step %c1 {
// CHECK: %[[ROW:.*]] = arith.muli %[[R]], %c2
// CHECK: %[[V:.*]] = vector.load %{{.*}}[%c0, %[[C]], %[[ROW]], %c1] : memref<1x3x28x28xf32>, vector<16xf32>
// CHECK: %[[E:.*]] = vector.shuffle %[[V]], %[[V]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: vector.store %[[E]], %{{.*}}[%[[C]], %c0, %[[R]], %c0]
// CHECK: vector.maskedload %{{.*}}[%c0, %[[C]], %[[ROW]], %c17], %{{.*}} : memref<1x3x28x28xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.maskedstore %{{.*}}[%[[C]], %c0, %[[R]], %c8]
// CHECK: } {sinter.parallel}
// CHECK-NOT: copy
func.func @stride2(%x: memref<1x3x28x28xf32>, %col: memref<3x9x1x13x13xf32>) {
  %window = memref.subview %x[0, 0, 0, 1] [1, 3, 13, 13] [1, 1, 2, 2] : memref<1x3x28x28xf32> to memref<1x3x13x13xf32, strided<[2352, 784, 56, 2], offset: 1>>
  %slot = memref.subview %col[0, 1, 0, 0, 0] [3, 1, 1, 13, 13] [1, 1, 1, 1, 1] : memref<3x9x1x13x13xf32> to memref<3x1x13x13xf32, strided<[1521, 169, 13, 1], offset: 169>>
  linalg.transpose ins(%window : memref<1x3x13x13xf32, strided<[2352, 784, 56, 2], offset: 1>>) outs(%slot : memref<3x1x13x13xf32, strided<[1521, 169, 13, 1], offset: 169>>) permutation = [1, 0, 2, 3]
  %same = memref.subview %col[0, 1, 0, 0, 0] [3, 1, 1, 13, 13] [1, 1, 1, 1, 1] : memref<3x9x1x13x13xf32> to memref<3x1x13x13xf32, strided<[1521, 169, 13, 1], offset: 169>>
  linalg.copy ins(%slot : memref<3x1x13x13xf32, strided<[1521, 169, 13, 1], offset: 169>>) outs(%same : memref<3x1x13x13xf32, strided<[1521, 169, 13, 1], offset: 169>>)
  return
}

// -----

// Unit stride: the tiler vectorizes it; left alone.
// CHECK-LABEL: func @stride1
// CHECK: linalg.transpose
func.func @stride1(%x: memref<1x3x28x28xf32>, %col: memref<3x1x26x26xf32>) {
  %window = memref.subview %x[0, 0, 0, 0] [1, 3, 26, 26] [1, 1, 1, 1] : memref<1x3x28x28xf32> to memref<1x3x26x26xf32, strided<[2352, 784, 28, 1]>>
  linalg.transpose ins(%window : memref<1x3x26x26xf32, strided<[2352, 784, 28, 1]>>) outs(%col : memref<3x1x26x26xf32>) permutation = [1, 0, 2, 3]
  return
}

