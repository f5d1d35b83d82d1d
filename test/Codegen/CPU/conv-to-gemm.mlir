// RUN: sinter-opt %s -pass-pipeline='builtin.module(func.func(sinter-conv-to-gemm))' -split-input-file | FileCheck %s

// One image, 3x3 stride 2: the patches are gathered into col[C, KH, KW, N, OH, OW]
// by one strided copy per kernel tap, and the filter, read as [F, C*KH*KW],
// multiplies col read as [C*KH*KW, OH*OW].
// CHECK-LABEL: func @conv3x3
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: tensor.empty() : tensor<8x3x3x1x4x4xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 8, 4, 4] [1, 1, 2, 2] : tensor<1x8x9x9xf32> to tensor<1x8x4x4xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<8x1x4x4xf32>) permutation = [1, 0, 2, 3]
// CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 0, 0, 0] [8, 1, 1, 1, 4, 4]
// CHECK-COUNT-8: linalg.transpose
// CHECK: %[[COL:.*]] = tensor.insert_slice {{.*}}[0, 2, 2, 0, 0, 0] [8, 1, 1, 1, 4, 4]
// CHECK: tensor.collapse_shape %[[COL]] {{.*}} into tensor<72x16xf32>
// CHECK: tensor.collapse_shape {{.*}} into tensor<16x72xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins({{.*}} : tensor<16x72xf32>, tensor<72x16xf32>) outs({{.*}} : tensor<16x16xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{.*}} into tensor<1x16x4x4xf32>
func.func @conv3x3(%x: tensor<1x8x9x9xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}

// -----

// A 1x1 stride-1 conv of one image needs no gather: the input is the matmul's B.
// CHECK-LABEL: func @pointwise
// CHECK-NOT: linalg.generic
// CHECK: linalg.matmul ins({{.*}} : tensor<32x8xf32>, tensor<8x36xf32>) outs({{.*}} : tensor<32x36xf32>)
func.func @pointwise(%x: tensor<1x8x6x6xf32>, %w: tensor<32x8x1x1xf32>, %acc: tensor<1x32x6x6xf32>) -> tensor<1x32x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x6x6xf32>, tensor<32x8x1x1xf32>) outs(%acc : tensor<1x32x6x6xf32>) -> tensor<1x32x6x6xf32>
  return %0 : tensor<1x32x6x6xf32>
}

// -----

// Several images: one matmul over N*OH*OW columns; the accumulator goes in
// and the product comes out through [F, N, OH*OW] <-> [N, F, OH*OW] transposes.
// CHECK-LABEL: func @batch
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 2] [3, 4, 5] [1, 1, 1] : tensor<3x4x7xf32> to tensor<3x4x5xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<3x4x5xf32>) outs(%{{.*}} : tensor<4x3x5xf32>)
// CHECK: tensor.insert_slice {{.*}} into %{{.*}}[0, 1, 0, 0] [4, 1, 3, 5] [1, 1, 1, 1] : tensor<4x3x5xf32> into tensor<4x2x3x5xf32>
// CHECK: linalg.transpose ins({{.*}} : tensor<3x6x5xf32>) outs({{.*}} : tensor<6x3x5xf32>)
// CHECK: linalg.matmul ins({{.*}} : tensor<6x8xf32>, tensor<8x15xf32>) outs({{.*}} : tensor<6x15xf32>)
// CHECK: linalg.transpose ins({{.*}} : tensor<6x3x5xf32>) outs({{.*}} : tensor<3x6x5xf32>)
func.func @batch(%x: tensor<3x4x7xf32>, %w: tensor<6x4x2xf32>, %acc: tensor<3x6x5xf32>) -> tensor<3x6x5xf32> {
  %0 = linalg.conv_1d_ncw_fcw {dilations = dense<2> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<3x4x7xf32>, tensor<6x4x2xf32>) outs(%acc : tensor<3x6x5xf32>) -> tensor<3x6x5xf32>
  return %0 : tensor<3x6x5xf32>
}

// -----

// Mixed element types are left to the named conv.
// CHECK-LABEL: func @mixed
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.matmul
func.func @mixed(%x: tensor<1x2x3x3xf16>, %w: tensor<4x2x1x1xf16>, %acc: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x3x3xf16>, tensor<4x2x1x1xf16>) outs(%acc : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// Past 64 kernel taps the gather is one generic instead of a copy per tap.
// CHECK-LABEL: func @long_kernel
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x2x70xf32>) outs(%{{.*}} : tensor<2x65x1x6xf32>)
// CHECK: linalg.matmul ins({{.*}} : tensor<3x130xf32>, tensor<130x6xf32>) outs({{.*}} : tensor<3x6xf32>)
func.func @long_kernel(%x: tensor<1x2x70xf32>, %w: tensor<3x2x65xf32>, %acc: tensor<1x3x6xf32>) -> tensor<1x3x6xf32> {
  %0 = linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>}
         ins(%x, %w : tensor<1x2x70xf32>, tensor<3x2x65xf32>) outs(%acc : tensor<1x3x6xf32>) -> tensor<1x3x6xf32>
  return %0 : tensor<1x3x6xf32>
}
