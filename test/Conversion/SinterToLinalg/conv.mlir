// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Asymmetric pads become one tensor.pad with zeros; the bias is added by a
// following generic that reads it along the channel dim.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHANNEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK:   tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x11x9xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[W]] : tensor<1x3x11x9xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x4x5x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHANNEL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[CONV]], %[[B]] : tensor<1x4x5x3xf32>, tensor<4xf32>)
// CHECK: arith.addf
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x5x3xf32> {
  %0 = sinter.conv %x, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 2, 1>, group = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x5x3xf32>
  return %0 : tensor<1x4x5x3xf32>
}

// -----

// No pads, no bias: neither a tensor.pad nor a bias generic.
// CHECK-LABEL: func.func @conv2d_plain
// CHECK-NOT: tensor.pad
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv2d_plain(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Depthwise (group == C == F): the filter drops its unit dim.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[PAD:.+]] = tensor.pad
// CHECK: %[[W:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[W]] : tensor<1x8x10x10xf32>, tensor<8x3x3xf32>)
func.func @depthwise(%x: tensor<1x8x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8 : i64}
      : tensor<1x8x8x8xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// General groups (here a channel multiplier of 2): channels split into
// [group, per-group] for conv_2d_ngchw_gfchw, the result collapsed back.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[X:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 4, 1, 8, 8] : tensor<1x4x8x8xf32> into tensor<1x4x1x8x8xf32>
// CHECK: %[[W:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2], [3], [4]] output_shape [4, 2, 1, 3, 3] : tensor<8x1x3x3xf32> into tensor<4x2x1x3x3xf32>
// CHECK: %[[C:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X]], %[[W]] : tensor<1x4x1x8x8xf32>, tensor<4x2x1x3x3xf32>) outs(%{{.+}} : tensor<1x4x2x6x6xf32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x4x2x6x6xf32> into tensor<1x8x6x6xf32>
func.func @grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 4 : i64}
      : tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @conv1d
// CHECK: tensor.pad %{{.+}} low[0, 0, 1] high[0, 0, 2]
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>}
func.func @conv1d(%x: tensor<2x3x10xf32>, %w: tensor<4x3x3xf32>) -> tensor<2x4x6xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 1, 2>, group = 1 : i64}
      : tensor<2x3x10xf32>, tensor<4x3x3xf32> -> tensor<2x4x6xf32>
  return %0 : tensor<2x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @conv3d
// CHECK: linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<[1, 2, 1]> : tensor<3xi64>}
func.func @conv3d(%x: tensor<1x2x5x4x6xf32>, %w: tensor<3x2x2x3x2xf32>) -> tensor<1x3x4x1x5xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 1, 2, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, group = 1 : i64}
      : tensor<1x2x5x4x6xf32>, tensor<3x2x2x3x2xf32> -> tensor<1x3x4x1x5xf32>
  return %0 : tensor<1x3x4x1x5xf32>
}

// -----

// Grouped 1-D has no named op: a generic over (n, g, f, o, c, k) with the
// window in the input map.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 * 2 + d5 * 3)>
// CHECK-DAG: #[[FILTER:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv1d_grouped
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[FILTER]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<1x2x2x12xf32>, tensor<2x2x2x3xf32>) outs(%{{.+}} : tensor<1x2x2x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @conv1d_grouped(%x: tensor<1x4x12xf32>, %w: tensor<4x2x3xf32>) -> tensor<1x4x3xf32> {
  %0 = sinter.conv %x, %w {strides = array<i64: 2>, dilations = array<i64: 3>, pads = array<i64: 0, 0>, group = 2 : i64}
      : tensor<1x4x12xf32>, tensor<4x2x3xf32> -> tensor<1x4x3xf32>
  return %0 : tensor<1x4x3xf32>
}

// -----

// Half precision: zero padding in f16, accumulation in f32, and the bias
// generic adds in f32 and truncates.
// CHECK-LABEL: func.func @conv_f16
// CHECK: %[[HZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK: tensor.pad
// CHECK:   tensor.yield %[[HZERO]] : f16
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x4x8x8xf32>)
// CHECK: %[[C:.+]] = linalg.conv_2d_nchw_fchw {{.+}} outs(%[[INIT]] : tensor<1x4x8x8xf32>)
// CHECK: linalg.generic {{.+}} ins(%[[C]], %{{.+}} : tensor<1x4x8x8xf32>, tensor<4xf16>) outs(%{{.+}} : tensor<1x4x8x8xf16>)
// CHECK:   %[[B:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK:   %[[S:.+]] = arith.addf %{{.+}}, %[[B]] : f32
// CHECK:   arith.truncf %[[S]] : f32 to f16
func.func @conv_f16(%x: tensor<1x3x8x8xf16>, %w: tensor<4x3x3x3xf16>, %b: tensor<4xf16>) -> tensor<1x4x8x8xf16> {
  %0 = sinter.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1 : i64}
      : tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>, tensor<4xf16> -> tensor<1x4x8x8xf16>
  return %0 : tensor<1x4x8x8xf16>
}
