// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-depthwise-conv,canonicalize))' -split-input-file | FileCheck %s

// Stride 1, 13 outputs a row (one vector and a masked one of 5), so two rows per
// block: four accumulators, each 9 FMAs of a broadcast weight. The zero fill
// becomes the accumulators' start and the in-place bias + clip is applied to
// them before the store.
// CHECK-LABEL: func @bias_relu6
// CHECK-NOT: linalg.
// CHECK: scf.for %[[IC:.*]] = %c0 to %c8 step %c1 {
// CHECK: %[[BIAS:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<8xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c12 step %c2 {
// CHECK-COUNT-36: vector.fma
// CHECK: arith.addf %{{.*}} : vector<8xf32>
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: vector.store %{{.*}} : memref<1x8x13x13xf32>, vector<8xf32>
// CHECK: vector.maskedstore %{{.*}} : memref<1x8x13x13xf32>, vector<8xi1>, vector<8xf32>
// The last row, a block of its own.
// CHECK: }
// CHECK-COUNT-18: vector.fma
// CHECK: vector.maskedstore %{{.*}}[%{{.*}}, %{{.*}}, %c12, %c8]
// CHECK: } {sinter.parallel}
func.func @bias_relu6(%x: memref<1x8x15x15xf32>, %w: memref<8x3x3xf32>, %b: memref<8xf32>, %y: memref<1x8x13x13xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x13x13xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x8x15x15xf32>, memref<8x3x3xf32>) outs(%y : memref<1x8x13x13xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y, %b : memref<1x8x13x13xf32>, memref<8xf32>) outs(%y : memref<1x8x13x13xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.maximumf %0, %zero : f32
    %2 = arith.minimumf %1, %six : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

// Stride 2: each tap loads two vectors' worth and keeps the even lanes. The
// conv's own buffer is dead once the ReLU is fused, and goes.
// CHECK-LABEL: func @stride2
// CHECK-NOT: memref.alloc
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<2x4x17x17xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
// CHECK: vector.fma
// The last tap of the last row's vector would read past the row: masked.
// CHECK: vector.maskedload %{{.*}} : memref<2x4x17x17xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: arith.maximumf
// CHECK: vector.store %{{.*}} : memref<2x4x8x8xf32>, vector<8xf32>
// CHECK-NOT: linalg.
// CHECK: } {sinter.parallel}
func.func @stride2(%x: memref<2x4x17x17xf32>, %w: memref<4x3x3xf32>, %y: memref<2x4x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<2x4x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<2x4x8x8xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<2x4x17x17xf32>, memref<4x3x3xf32>) outs(%acc : memref<2x4x8x8xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%acc : memref<2x4x8x8xf32>) outs(%y : memref<2x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %acc : memref<2x4x8x8xf32>
  return
}

// -----

// No fill: the conv accumulates onto the output, which the block loads first.
// 72 outputs a row: a loop of two strips of four vectors, then one vector
// unrolled. Dilation 2 moves the taps two columns apart.
// CHECK-LABEL: func @accumulate
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c72 step %c1 {
// CHECK: scf.for %[[COL:.*]] = %c0 to %c64 step %c32 {
// CHECK-COUNT-4: vector.load %{{.*}} : memref<1x2x72x72xf32>, vector<8xf32>
// CHECK: vector.load %{{.*}}[%{{.*}}, %{{.*}}, %[[ROW]], %[[COL]]] : memref<1x2x76x76xf32>, vector<8xf32>
// CHECK-COUNT-36: vector.fma
// CHECK-COUNT-4: vector.store
// CHECK: }
// CHECK: vector.load %{{.*}}[%{{.*}}, %{{.*}}, %[[ROW]], %c64] : memref<1x2x72x72xf32>, vector<8xf32>
// CHECK-COUNT-9: vector.fma
// CHECK-NOT: vector.maskedload
// CHECK: } {sinter.parallel}
func.func @accumulate(%x: memref<1x2x76x76xf32>, %w: memref<2x3x3xf32>, %y: memref<1x2x72x72xf32>) {
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x76x76xf32>, memref<2x3x3xf32>) outs(%y : memref<1x2x72x72xf32>)
  return
}

// -----

// The conv's result is read again after the epilogue: the ReLU stays apart.
// CHECK-LABEL: func @result_reused
// CHECK: vector.fma
// CHECK: linalg.generic
// CHECK: memref.copy
func.func @result_reused(%x: memref<1x2x10x10xf32>, %w: memref<2x3x3xf32>, %y: memref<1x2x8x8xf32>, %z: memref<1x2x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<1x2x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<1x2x8x8xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x10x10xf32>, memref<2x3x3xf32>) outs(%acc : memref<1x2x8x8xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%acc : memref<1x2x8x8xf32>) outs(%y : memref<1x2x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  }
  memref.copy %acc, %z : memref<1x2x8x8xf32> to memref<1x2x8x8xf32>
  return
}

// -----

// Not f32: left to the loop lowering.
// CHECK-LABEL: func @f16
// CHECK: linalg.depthwise_conv_2d_nchw_chw
func.func @f16(%x: memref<1x2x10x10xf16>, %w: memref<2x3x3xf16>, %y: memref<1x2x8x8xf16>) {
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x10x10xf16>, memref<2x3x3xf16>) outs(%y : memref<1x2x8x8xf16>)
  return
}

// -----

// The zero padding is read in place: the kernel loads the unpadded source, the
// first and last rows skip the taps that fall in the padding, and the first
// vector shuffles a zero into the lane of the left padding column. The padded
// buffer, its fill and its copy go.
// CHECK-LABEL: func @padding
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.
// CHECK: scf.for
// First row: taps of kernel rows 1 and 2 only, on two vectors (13 = 8 + 5).
// CHECK-COUNT-12: vector.fma
// CHECK: vector.store
// CHECK: %[[LEFT:.*]] = vector.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %c0] : memref<1x8x13x13xf32>, vector<8xf32>
// CHECK: vector.shuffle %[[LEFT]], %{{.*}} [8, 0, 1, 2, 3, 4, 5, 6] : vector<8xf32>, vector<8xf32>
// CHECK: } {sinter.parallel}
func.func @padding(%x: memref<1x8x13x13xf32>, %w: memref<8x3x3xf32>, %y: memref<1x8x13x13xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<1x8x15x15xf32>
  linalg.map outs(%padded : memref<1x8x15x15xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 8, 13, 13] [1, 1, 1, 1] : memref<1x8x15x15xf32> to memref<1x8x13x13xf32, strided<[1800, 225, 15, 1], offset: 16>>
  linalg.copy ins(%x : memref<1x8x13x13xf32>) outs(%interior : memref<1x8x13x13xf32, strided<[1800, 225, 15, 1], offset: 16>>)
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x13x13xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : memref<1x8x15x15xf32>, memref<8x3x3xf32>) outs(%y : memref<1x8x13x13xf32>)
  memref.dealloc %padded : memref<1x8x15x15xf32>
  return
}

// -----

// The conv writes into the buffer its padding copied from (bufferization
// reuses a dead input's buffer): the source is overwritten before the conv,
// so the padded buffer stays.
// CHECK-LABEL: func @padding_source_reused
// CHECK: memref.alloc
// CHECK: linalg.map
// CHECK: linalg.copy
// CHECK: vector.load %{{.*}} : memref<1x2x10x10xf32>
func.func @padding_source_reused(%x: memref<1x2x8x8xf32>, %w: memref<2x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<1x2x10x10xf32>
  linalg.map outs(%padded : memref<1x2x10x10xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 2, 8, 8] [1, 1, 1, 1] : memref<1x2x10x10xf32> to memref<1x2x8x8xf32, strided<[200, 100, 10, 1], offset: 11>>
  linalg.copy ins(%x : memref<1x2x8x8xf32>) outs(%interior : memref<1x2x8x8xf32, strided<[200, 100, 10, 1], offset: 11>>)
  linalg.fill ins(%zero : f32) outs(%x : memref<1x2x8x8xf32>)
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%padded, %w : memref<1x2x10x10xf32>, memref<2x3x3xf32>) outs(%x : memref<1x2x8x8xf32>)
  return
}
