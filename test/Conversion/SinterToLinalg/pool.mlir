// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Max pool pads with -inf, so padding never wins, and starts from -inf.
// CHECK-LABEL: func.func @max_pool
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x7x7xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 1, 2]
// CHECK:   tensor.yield %[[NEG_INF]] : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x4x3xf32>)
func.func @max_pool(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x3xf32> {
  %0 = sinter.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 1, 2>}
      : tensor<1x2x7x7xf32> -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

// -----

// ceil_mode: the last window runs past the input, so the end padding grows
// by what it needs (9 rows for 4 windows of 3 with stride 2).
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:   tensor.yield %[[NEG_INF]] : f32
// CHECK: } : tensor<1x2x8x8xf32> to tensor<1x2x9x9xf32>
// CHECK: linalg.pooling_nchw_max
func.func @max_pool_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %0 = sinter.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true}
      : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Average without count_include_pad: zero padding, a sum pool, then a
// division whose divisor varies near the borders, given per spatial dim by a
// constant vector read along that dim.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROWS:.+]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[COLS:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:   tensor.yield %[[ZERO]] : f32
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %{{.+}} : tensor<1x2x7x7xf32>, tensor<3x3xf32>)
// CHECK-DAG: %[[ROW_COUNTS:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[COL_COUNTS:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROWS]], #[[COLS]], #[[ID]]]
// CHECK-SAME: ins(%[[SUM]], %[[ROW_COUNTS]], %[[COL_COUNTS]] :
// CHECK: ^bb0(%[[S:.+]]: f32, %[[R:.+]]: f32, %[[C:.+]]: f32, %{{.+}}: f32):
// CHECK:   %[[N:.+]] = arith.mulf %[[R]], %[[C]]
// CHECK:   arith.divf %[[S]], %[[N]]
func.func @avg_pool_exclude_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = sinter.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>}
      : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// With count_include_pad every window counts its 9 taps: one constant divisor.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: linalg.generic
// CHECK:   %[[NINE:.+]] = arith.constant 9.000000e+00 : f32
// CHECK:   arith.divf %{{.+}}, %[[NINE]]
func.func @avg_pool_include_pad(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = sinter.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
      : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// count_include_pad with ceil_mode: the taps past the end padding never
// count, so the last row and column of windows count 2 of 3.
// CHECK-LABEL: func.func @avg_pool_ceil_include_pad
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_sum
// CHECK-DAG: arith.constant dense<[3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<3xf32>
func.func @avg_pool_ceil_include_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x3x3xf32> {
  %0 = sinter.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = true}
      : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @pool_1d
// CHECK: linalg.pooling_ncw_max {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>}
// CHECK: linalg.pooling_ncw_sum
func.func @pool_1d(%x: tensor<1x3x10xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  %0 = sinter.max_pool %x {kernel = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>}
      : tensor<1x3x10xf32> -> tensor<1x3x4xf32>
  %1 = sinter.avg_pool %x {kernel = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>}
      : tensor<1x3x10xf32> -> tensor<1x3x4xf32>
  return %0, %1 : tensor<1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// 3-D pooling is a generic; an operand of the window's shape gives the window
// loops their extent.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @max_pool_3d
// CHECK: %[[WINDOW:.+]] = tensor.empty() : tensor<2x2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.+}}, %[[WINDOW]] :
// CHECK: arith.maximumf
func.func @max_pool_3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  %0 = sinter.max_pool %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>}
      : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}

// -----

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.+}} : tensor<1x8xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[NC]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUM]] : tensor<1x8xf32>) outs(%{{.+}} : tensor<1x8x1x1xf32>)
// CHECK:   %[[N:.+]] = arith.constant 4.900000e+01 : f32
// CHECK:   arith.divf %{{.+}}, %[[N]]
func.func @global_avg_pool(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = sinter.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Half-precision averages sum in f32 and truncate after the division; a max
// stays in f16.
// CHECK-LABEL: func.func @pool_f16
// CHECK: linalg.pooling_nchw_max {{.+}} outs(%{{.+}} : tensor<1x2x3x3xf16>)
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x2x6x6xf16>, tensor<2x2xf16>) outs(%{{.+}} : tensor<1x2x3x3xf32>)
// CHECK: linalg.generic {{.+}} ins(%[[SUM]] : tensor<1x2x3x3xf32>) outs(%{{.+}} : tensor<1x2x3x3xf16>)
// CHECK:   %[[M:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK:   arith.truncf %[[M]] : f32 to f16
func.func @pool_f16(%x: tensor<1x2x6x6xf16>) -> (tensor<1x2x3x3xf16>, tensor<1x2x3x3xf16>) {
  %0 = sinter.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : tensor<1x2x6x6xf16> -> tensor<1x2x3x3xf16>
  %1 = sinter.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}
      : tensor<1x2x6x6xf16> -> tensor<1x2x3x3xf16>
  return %0, %1 : tensor<1x2x3x3xf16>, tensor<1x2x3x3xf16>
}
