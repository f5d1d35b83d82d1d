// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Broadcasting is in the indexing maps: the missing leading dim is dropped and
// a unit dim against a larger one reads index 0.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[OTHER:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-NOT: sinter.
// CHECK: %[[INIT:.+]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[OTHER]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<2x3x4xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<3x1xf32>, %b: tensor<2x1x4xf32>) -> tensor<2x3x4xf32> {
  %0 = sinter.add %a, %b : tensor<3x1xf32>, tensor<2x1x4xf32> -> tensor<2x3x4xf32>
  %1 = sinter.add %0, %0 : tensor<2x3x4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @integer_binary
// CHECK: arith.subi
// CHECK: arith.divsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: math.ipowi
func.func @integer_binary(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = sinter.sub %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %1 = sinter.div %0, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %2 = sinter.max %1, %a : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %3 = sinter.min %2, %a : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %4 = sinter.pow %3, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %4 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @float_binary
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @float_binary(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = sinter.mul %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = sinter.div %0, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = sinter.pow %1, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %3 = sinter.max %2, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %4 = sinter.min %3, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: linalg.generic
// CHECK:   %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:   arith.maximumf %{{.+}}, %[[ZERO]] : f32
// CHECK: linalg.generic
// CHECK:   %[[NEG:.+]] = arith.negf
// CHECK:   %[[EXP:.+]] = math.exp %[[NEG]]
// CHECK:   %[[DEN:.+]] = arith.addf %{{.+}}, %[[EXP]]
// CHECK:   arith.divf %{{.+}}, %[[DEN]]
// CHECK: linalg.generic
// CHECK:   arith.constant 1.000000e-01 : f32
// CHECK:   arith.cmpf oge
// CHECK:   arith.select
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.erf
// CHECK: arith.negf
// CHECK: math.absf
// CHECK: arith.divf
func.func @activations(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = sinter.relu %x : tensor<8xf32>
  %1 = sinter.sigmoid %0 : tensor<8xf32>
  %2 = sinter.leaky_relu %1 {alpha = 0.1 : f32} : tensor<8xf32>
  %3 = sinter.tanh %2 : tensor<8xf32>
  %4 = sinter.exp %3 : tensor<8xf32>
  %5 = sinter.log %4 : tensor<8xf32>
  %6 = sinter.sqrt %5 : tensor<8xf32>
  %7 = sinter.erf %6 : tensor<8xf32>
  %8 = sinter.neg %7 : tensor<8xf32>
  %9 = sinter.abs %8 : tensor<8xf32>
  %10 = sinter.reciprocal %9 : tensor<8xf32>
  return %10 : tensor<8xf32>
}

// -----

// The exact form: 0.5 * x * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu_erf
// CHECK: linalg.generic
// CHECK-DAG: arith.constant 5.000000e-01 : f32
// CHECK-DAG: arith.constant 0.707106769 : f32
// CHECK: math.erf
// CHECK-NOT: math.tanh
// CHECK: linalg.yield
func.func @gelu_erf(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = sinter.gelu %x : tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// The tanh approximation: tanh(sqrt(2/pi) * (x + 0.044715 x^3)), computed in
// f32 for f16 elements.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: linalg.generic
// CHECK: %[[X:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK-DAG: arith.constant 4.471500e-02 : f32
// CHECK-DAG: arith.constant 0.797884583 : f32
// CHECK: math.tanh %{{.+}} : f32
// CHECK-NOT: math.erf
// CHECK: %[[Y:.+]] = arith.truncf %{{.+}} : f32 to f16
// CHECK: linalg.yield %[[Y]] : f16
func.func @gelu_tanh(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0 = sinter.gelu %x {approximate = "tanh"} : tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// Exact ops stay in half precision.
// CHECK-LABEL: func.func @relu_bf16
// CHECK-NOT: arith.extf
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : bf16
func.func @relu_bf16(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = sinter.relu %x : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}
