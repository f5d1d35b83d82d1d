// RUN: sinter-opt %s -sinter-fold-batchnorm -split-input-file | FileCheck %s

// s = scale / sqrt(var + eps) = [1, 3]; W' = W * s; b' = (b - mean) * s + bias.
// CHECK-LABEL: func @conv_batchnorm
// CHECK-DAG: %[[W:.*]] = sinter.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = sinter.constant dense<[0.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = sinter.conv %arg0, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-NOT: sinter.batch_norm
// CHECK: return %[[Y]]
func.func @conv_batchnorm(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = sinter.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = sinter.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %scale = sinter.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %bias = sinter.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = sinter.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = sinter.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %c = sinter.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32> -> tensor<1x2x4x4xf32>
  %y = sinter.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
      : tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// The same in f16: the arithmetic runs in f64 and rounds once.
// CHECK-LABEL: func @conv_batchnorm_f16
// CHECK-DAG: sinter.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[6.000000e+00]]]]> : tensor<2x1x1x1xf16>
// CHECK-DAG: sinter.constant dense<[-1.000000e+00, 1.000000e+00]> : tensor<2xf16>
// CHECK: sinter.conv
// CHECK-NOT: sinter.batch_norm
func.func @conv_batchnorm_f16(%x: tensor<1x1x4x4xf16>) -> tensor<1x2x4x4xf16> {
  %w = sinter.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf16>
  %scale = sinter.constant dense<[2.0, 3.0]> : tensor<2xf16>
  %bias = sinter.constant dense<[0.0, 1.0]> : tensor<2xf16>
  %mean = sinter.constant dense<[1.0, 0.0]> : tensor<2xf16>
  %var = sinter.constant dense<[3.0, 0.0]> : tensor<2xf16>
  %c = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x4x4xf16>, tensor<2x1x1x1xf16> -> tensor<1x2x4x4xf16>
  %y = sinter.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0 : f32}
      : tensor<1x2x4x4xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>, tensor<2xf16>
  return %y : tensor<1x2x4x4xf16>
}

// -----

// Per-channel Mul then Add (a BatchNorm an exporter decomposed) fold into a
// conv without bias, one after the other.
// CHECK-LABEL: func @conv_mul_add
// CHECK-DAG: %[[W:.*]] = sinter.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[-1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = sinter.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = sinter.conv %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[Y]]
func.func @conv_mul_add(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = sinter.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %k = sinter.constant dense<[[[2.0]], [[1.0]]]> : tensor<2x1x1xf32>
  %d = sinter.constant dense<[[[[0.5]], [[0.25]]]]> : tensor<1x2x1x1xf32>
  %c = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x3x3xf32>
  %m = sinter.mul %k, %c : tensor<2x1x1xf32>, tensor<1x2x3x3xf32> -> tensor<1x2x3x3xf32>
  %y = sinter.add %m, %d : tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32> -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Sub and Div by a scalar constant fold too; division by zero does not.
// CHECK-LABEL: func @conv_sub_div
// CHECK-DAG: sinter.constant dense<{{\[}}[{{\[}}[5.000000e-01]]], [{{\[}}[-5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: sinter.constant dense<-1.500000e+00> : tensor<2xf32>
// CHECK: sinter.conv
// CHECK-NOT: sinter.sub
// CHECK-NOT: sinter.div %
// CHECK: sinter.conv
// CHECK: sinter.div
func.func @conv_sub_div(%x: tensor<1x1x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = sinter.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %three = sinter.constant dense<3.0> : tensor<1xf32>
  %two = sinter.constant dense<2.0> : tensor<f32>
  %c = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x3x3xf32>
  %s = sinter.sub %c, %three : tensor<1x2x3x3xf32>, tensor<1xf32> -> tensor<1x2x3x3xf32>
  %y = sinter.div %s, %two : tensor<1x2x3x3xf32>, tensor<f32> -> tensor<1x2x3x3xf32>
  %zero = sinter.constant dense<[[[0.0]], [[1.0]]]> : tensor<2x1x1xf32>
  %c2 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x3x3xf32>
  %z = sinter.div %c2, %zero : tensor<1x2x3x3xf32>, tensor<2x1x1xf32> -> tensor<1x2x3x3xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// Not folded: the conv has another user, the constant varies along a
// spatial dimension, or a BatchNorm parameter is not constant.
// CHECK-LABEL: func @not_folded
// CHECK: sinter.batch_norm
// CHECK: sinter.mul
// CHECK: sinter.batch_norm
func.func @not_folded(%x: tensor<1x1x2x2xf32>, %mean: tensor<2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = sinter.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %p = sinter.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x2x2xf32>
  %bn = sinter.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0e-5 : f32}
      : tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  %c2 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x2x2xf32>
  %k = sinter.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %m = sinter.mul %c2, %k : tensor<1x2x2x2xf32>, tensor<2xf32> -> tensor<1x2x2x2xf32>
  %c3 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32> -> tensor<1x2x2x2xf32>
  %bn3 = sinter.batch_norm %c3, %p, %p, %mean, %p {epsilon = 1.0e-5 : f32}
      : tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %bn, %c, %m, %bn3 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Gemm as the importer writes it (matmul, alpha, + C) followed by BatchNorm:
// alpha scales W's columns, then BatchNorm scales them again and shifts C.
// CHECK-LABEL: func @gemm_batchnorm
// CHECK-DAG: %[[W:.*]] = sinter.constant dense<{{\[}}[4.000000e+00, 3.000000e+00], [8.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.*]] = sinter.constant dense<{{\[}}[2.000000e+00, 1.000000e+00]]> : tensor<1x2xf32>
// CHECK: %[[P:.*]] = sinter.matmul %arg0, %[[W]]
// CHECK: %[[Y:.*]] = sinter.add %[[P]], %[[C]] : tensor<3x2xf32>, tensor<1x2xf32> -> tensor<3x2xf32>
// CHECK-NEXT: return %[[Y]]
func.func @gemm_batchnorm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = sinter.constant dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>
  %alpha = sinter.constant dense<2.0> : tensor<f32>
  %c = sinter.constant dense<[[1.0, 1.0]]> : tensor<1x2xf32>
  %scale = sinter.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %bias = sinter.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = sinter.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = sinter.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %p = sinter.matmul %x, %w : tensor<3x2xf32>, tensor<2x2xf32> -> tensor<3x2xf32>
  %a = sinter.mul %p, %alpha : tensor<3x2xf32>, tensor<f32> -> tensor<3x2xf32>
  %g = sinter.add %a, %c : tensor<3x2xf32>, tensor<1x2xf32> -> tensor<3x2xf32>
  %y = sinter.batch_norm %g, %scale, %bias, %mean, %var {epsilon = 0.0 : f32}
      : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %y : tensor<3x2xf32>
}
