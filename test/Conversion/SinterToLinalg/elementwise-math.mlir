// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @trigonometry
// CHECK: math.sin
// CHECK: math.cos
// CHECK: math.tan
// CHECK: math.asin
// CHECK: math.acos
// CHECK: math.atan
// CHECK: math.sinh
// CHECK: math.cosh
// CHECK: math.asinh
// CHECK: math.acosh
// CHECK: math.atanh
// CHECK: math.floor
// CHECK: math.ceil
// CHECK: math.roundeven
func.func @trigonometry(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = sinter.sin %x : tensor<4xf64>
  %1 = sinter.cos %0 : tensor<4xf64>
  %2 = sinter.tan %1 : tensor<4xf64>
  %3 = sinter.asin %2 : tensor<4xf64>
  %4 = sinter.acos %3 : tensor<4xf64>
  %5 = sinter.atan %4 : tensor<4xf64>
  %6 = sinter.sinh %5 : tensor<4xf64>
  %7 = sinter.cosh %6 : tensor<4xf64>
  %8 = sinter.asinh %7 : tensor<4xf64>
  %9 = sinter.acosh %8 : tensor<4xf64>
  %10 = sinter.atanh %9 : tensor<4xf64>
  %11 = sinter.floor %10 : tensor<4xf64>
  %12 = sinter.ceil %11 : tensor<4xf64>
  %13 = sinter.round %12 : tensor<4xf64>
  return %13 : tensor<4xf64>
}

// -----

// bf16 activations compute in f32 in one loop and round once at the end.
// CHECK-LABEL: func.func @celu_bf16
// CHECK: linalg.generic
// CHECK:   %[[X:.+]] = arith.extf %{{.+}} : bf16 to f32
// CHECK:   arith.divf %[[X]]
// CHECK:   math.expm1
// CHECK:   arith.minimumf
// CHECK:   arith.maximumf
// CHECK:   %[[Y:.+]] = arith.addf
// CHECK:   arith.truncf %[[Y]] : f32 to bf16
// CHECK-NOT: linalg.generic
func.func @celu_bf16(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = sinter.celu %x {alpha = 2.0 : f32} : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: math.expm1
// CHECK: arith.select
// CHECK: math.expm1
// CHECK: arith.mulf
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: arith.mulf
// CHECK: math.log1p
// CHECK: arith.divf
// CHECK: math.tanh
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ogt
func.func @activations(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = sinter.elu %x {alpha = 1.0 : f32} : tensor<4xf32>
  %1 = sinter.selu %0 {alpha = 1.5 : f32, gamma = 1.0 : f32} : tensor<4xf32>
  %2 = sinter.hard_sigmoid %1 {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xf32>
  %3 = sinter.hard_swish %2 : tensor<4xf32>
  %4 = sinter.softplus %3 : tensor<4xf32>
  %5 = sinter.softsign %4 : tensor<4xf32>
  %6 = sinter.mish %5 : tensor<4xf32>
  %7 = sinter.thresholded_relu %6 {alpha = 1.0 : f32} : tensor<4xf32>
  %8 = sinter.shrink %7 {lambd = 0.5 : f32, bias = 0.0 : f32} : tensor<4xf32>
  return %8 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @prelu
// CHECK: linalg.generic
// CHECK:   arith.cmpf olt
// CHECK:   arith.mulf
// CHECK:   arith.select
func.func @prelu(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = sinter.prelu %x, %s : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
