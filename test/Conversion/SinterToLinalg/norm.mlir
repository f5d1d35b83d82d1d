// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Stable softmax along axis 1: a max reduction from -inf, a sum of
// exp(x - max), then exp(x - max) / sum, each reading the [2, 3] statistics
// with the axis dropped from the map.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[STAT:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<2x10x3xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]] : {{.+}}) outs(%[[MAX_INIT]] : {{.+}})
// CHECK:   arith.maximumf
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]], %[[MAX]] : {{.+}})
// CHECK:   %[[D:.+]] = arith.subf
// CHECK:   %[[E:.+]] = math.exp %[[D]]
// CHECK:   arith.addf %[[E]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : {{.+}})
// CHECK:   %[[D2:.+]] = arith.subf
// CHECK:   %[[E2:.+]] = math.exp %[[D2]]
// CHECK:   arith.divf %[[E2]]
func.func @softmax(%x: tensor<2x10x3xf32>) -> tensor<2x10x3xf32> {
  %0 = sinter.softmax %x {axis = 1 : i64} : tensor<2x10x3xf32>
  return %0 : tensor<2x10x3xf32>
}

// -----

// Layer norm over the last two dims (1024 elements): mean, then the centered
// sum of squares (two passes), then rsqrt(var + eps); scale and bias
// broadcast against the trailing dims by their maps.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[SCALE:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[BIAS:.+]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<2x16x64xf32>, %[[G:.+]]: tensor<64xf32>, %[[B:.+]]: tensor<1x64xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]]
// CHECK: %[[MEAN:.+]] = linalg.generic {{.+}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK:   arith.constant 1.024000e+03 : f32
// CHECK:   arith.divf
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]], %[[MEAN]] :
// CHECK:   %[[C:.+]] = arith.subf
// CHECK:   arith.mulf %[[C]], %[[C]]
// CHECK: %[[RSTD:.+]] = linalg.generic {{.+}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK:   arith.divf
// CHECK:   %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:   %[[V:.+]] = arith.addf %{{.+}}, %[[EPS]]
// CHECK:   math.rsqrt %[[V]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[SCALE]], #[[BIAS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK:   arith.subf
// CHECK:   arith.mulf
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @layer_norm(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<1x64xf32>) -> tensor<2x16x64xf32> {
  %0 = sinter.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 1.0e-05 : f32} : tensor<2x16x64xf32>, tensor<64xf32>, tensor<1x64xf32>
  return %0 : tensor<2x16x64xf32>
}

// -----

// Without a bias the last generic only scales.
// CHECK-LABEL: func.func @layer_norm_no_bias
// CHECK: math.rsqrt
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>)
// CHECK-NOT: arith.addf
// CHECK: linalg.yield
func.func @layer_norm_no_bias(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = sinter.layer_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-05 : f32} : tensor<4x8xf32>, tensor<8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Batch norm folds its parameters into a per-channel scale and shift first
// (a [C] generic with two results), then one affine generic over the input.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CHANNEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x8x8xf32>, %[[S:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>, %[[M:.+]]: tensor<4xf32>, %[[V:.+]]: tensor<4xf32>)
// CHECK: %[[COEF:.+]]:2 = linalg.generic {{.+}} ins(%[[S]], %[[B]], %[[M]], %[[V]] :
// CHECK:   math.rsqrt
// CHECK:   linalg.yield %{{.+}}, %{{.+}} : f32, f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHANNEL]], #[[CHANNEL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[COEF]]#0, %[[COEF]]#1 :
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @batch_norm(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = sinter.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Half-precision statistics are computed in f32; only the result is f16.
// CHECK-LABEL: func.func @softmax_f16
// CHECK: %[[MAX:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<4xf16>)
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<4xf32>)
// CHECK:   arith.extf %{{.+}} : f16 to f32
// CHECK:   math.exp %{{.+}} : f32
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[MAX]], %[[SUM]] : tensor<4x300xf16>, tensor<4xf16>, tensor<4xf32>) outs(%{{.+}} : tensor<4x300xf16>)
// CHECK:   %[[Y:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK:   arith.truncf %[[Y]] : f32 to f16
func.func @softmax_f16(%x: tensor<4x300xf16>) -> tensor<4x300xf16> {
  %0 = sinter.softmax %x {axis = -1 : i64} : tensor<4x300xf16>
  return %0 : tensor<4x300xf16>
}

// -----

// CHECK-LABEL: func.func @layer_norm_bf16
// CHECK: linalg.generic {{.+}} ins(%{{.+}} : tensor<8x32xbf16>) outs(%{{.+}} : tensor<8xf32>)
// CHECK:   arith.extf %{{.+}} : bf16 to f32
// CHECK: math.rsqrt %{{.+}} : f32
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<8x32xbf16>)
// CHECK:   arith.truncf %{{.+}} : f32 to bf16
func.func @layer_norm_bf16(%x: tensor<8x32xbf16>, %g: tensor<32xbf16>) -> tensor<8x32xbf16> {
  %0 = sinter.layer_norm %x, %g {axis = -1 : i64, epsilon = 1.0e-05 : f32} : tensor<8x32xbf16>, tensor<32xbf16>
  return %0 : tensor<8x32xbf16>
}
