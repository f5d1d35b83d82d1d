// RUN: sinter-opt %s -sinter-fold-constants=max-elements=8 -split-input-file | FileCheck %s

// Shape arithmetic that reaches the graph: gather dims out of a shape,
// compute with them and concatenate a new shape.
// CHECK-LABEL: func @shape_chain
// CHECK-NEXT: %[[C:.*]] = sinter.constant dense<[2, 6, -1]> : tensor<3xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_chain() -> tensor<3xi64> {
  %shape = sinter.constant dense<[2, 3, 4, 5]> : tensor<4xi64>
  %ids = sinter.constant dense<[0, -3]> : tensor<2xi64>
  %dims = sinter.gather %shape, %ids {axis = 0 : i64} : tensor<4xi64>, tensor<2xi64> -> tensor<2xi64>
  %two = sinter.constant dense<[1, 2]> : tensor<2xi64>
  %scaled = sinter.mul %dims, %two : tensor<2xi64>, tensor<2xi64> -> tensor<2xi64>
  %rest = sinter.constant dense<-1> : tensor<1xi64>
  %new = sinter.concat %scaled, %rest {axis = 0 : i64} : tensor<2xi64>, tensor<1xi64> -> tensor<3xi64>
  return %new : tensor<3xi64>
}

// -----

// A weight used only here is transposed in place, whatever its size.
// CHECK-LABEL: func @transpose_weight
// CHECK-NOT: sinter.transpose
// CHECK: sinter.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT: tensor<2x3xf32>
func.func @transpose_weight(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = sinter.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = sinter.transpose %w {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %y = sinter.matmul %x, %t : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// A large weight with another user stays: folding would keep two copies.
// CHECK-LABEL: func @shared_weight
// CHECK: %[[W:.*]] = sinter.constant {{.*}} : tensor<2x5xf32>
// CHECK: sinter.transpose %[[W]]
func.func @shared_weight() -> (tensor<2x5xf32>, tensor<5x2xf32>) {
  %w = sinter.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0]]> : tensor<2x5xf32>
  %t = sinter.transpose %w {perm = array<i64: 1, 0>} : tensor<2x5xf32> -> tensor<5x2xf32>
  return %w, %t : tensor<2x5xf32>, tensor<5x2xf32>
}

// -----

// Broadcasting grows [2,1] + [3] to six elements, still within the limit; a
// splat result is free at any size.
// CHECK-LABEL: func @broadcast
// CHECK-DAG: sinter.constant dense<{{\[}}[1.100000e+01, 2.100000e+01, 3.100000e+01], [1.200000e+01, 2.200000e+01, 3.200000e+01]]> : tensor<2x3xf32>
// CHECK-DAG: sinter.constant dense<5.000000e-01> : tensor<64x64xf32>
// CHECK-NOT: sinter.add
// CHECK-NOT: sinter.div
func.func @broadcast() -> (tensor<2x3xf32>, tensor<64x64xf32>) {
  %a = sinter.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = sinter.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %s = sinter.add %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %one = sinter.constant dense<1.0> : tensor<64x1xf32>
  %two = sinter.constant dense<2.0> : tensor<64xf32>
  %h = sinter.div %one, %two : tensor<64x1xf32>, tensor<64xf32> -> tensor<64x64xf32>
  return %s, %h : tensor<2x3xf32>, tensor<64x64xf32>
}

// -----

// A large result from small operands is left to run time.
// CHECK-LABEL: func @large_broadcast
// CHECK: sinter.add
func.func @large_broadcast() -> tensor<3x4xf32> {
  %a = sinter.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %b = sinter.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %s = sinter.add %a, %b : tensor<3x1xf32>, tensor<4xf32> -> tensor<3x4xf32>
  return %s : tensor<3x4xf32>
}

// -----

// Integers divide toward zero and wrap at their width; a division by zero is
// undefined and stays for run time.
// CHECK-LABEL: func @integers
// CHECK-DAG: sinter.constant dense<[-3, 3, -3, 0]> : tensor<4xi32>
// CHECK-DAG: sinter.constant dense<[-56, 127]> : tensor<2xi8>
// CHECK-DAG: sinter.constant dense<[1, 8, 0]> : tensor<3xi64>
// CHECK: sinter.div %{{.*}}, %{{.*}} : tensor<2xi32>
func.func @integers() -> (tensor<4xi32>, tensor<2xi8>, tensor<3xi64>, tensor<2xi32>) {
  %a = sinter.constant dense<[-7, 7, 7, 1]> : tensor<4xi32>
  %b = sinter.constant dense<[2, 2, -2, 3]> : tensor<4xi32>
  %q = sinter.div %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %c = sinter.constant dense<[100, 127]> : tensor<2xi8>
  %d = sinter.constant dense<[100, 0]> : tensor<2xi8>
  %w = sinter.add %c, %d : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  %base = sinter.constant dense<[1, 2, 0]> : tensor<3xi64>
  %exp = sinter.constant dense<[5, 3, 2]> : tensor<3xi64>
  %p = sinter.pow %base, %exp : tensor<3xi64>, tensor<3xi64> -> tensor<3xi64>
  %n = sinter.constant dense<[1, 2]> : tensor<2xi32>
  %z = sinter.constant dense<[1, 0]> : tensor<2xi32>
  %bad = sinter.div %n, %z : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  return %q, %w, %p, %bad : tensor<4xi32>, tensor<2xi8>, tensor<3xi64>, tensor<2xi32>
}

// -----

// Casts follow ONNX: floats truncate toward zero, anything non-zero (NaN
// too) is true, narrowing floats round to nearest even.
// CHECK-LABEL: func @casts
// CHECK-DAG: sinter.constant dense<[-2, 2, 0, 0]> : tensor<4xi32>
// CHECK-DAG: sinter.constant dense<[true, false, true, true]> : tensor<4xi1>
// CHECK-DAG: sinter.constant dense<[1.000000e+00, 2.048000e+03, 6.550400e+04]> : tensor<3xf16>
// CHECK-DAG: sinter.constant dense<[2.550000e+02, 1.000000e+00]> : tensor<2xf32>
func.func @casts() -> (tensor<4xi32>, tensor<4xi1>, tensor<3xf16>, tensor<2xf32>) {
  %f = sinter.constant dense<[-2.7, 2.7, -0.5, 0x7FC00000]> : tensor<4xf32>
  %i = sinter.cast %f : tensor<4xf32> -> tensor<4xi32>
  %g = sinter.constant dense<[1.0, 0.0, -0.5, 0x7FC00000]> : tensor<4xf32>
  %b = sinter.cast %g : tensor<4xf32> -> tensor<4xi1>
  // 2049 is a tie between 2048 and 2050; even wins.
  %w = sinter.constant dense<[1.0, 2049.0, 65504.0]> : tensor<3xf64>
  %h = sinter.cast %w : tensor<3xf64> -> tensor<3xf16>
  %u = sinter.constant dense<[255, 1]> : tensor<2xui8>
  %v = sinter.cast %u : tensor<2xui8> -> tensor<2xf32>
  return %i, %b, %h, %v : tensor<4xi32>, tensor<4xi1>, tensor<3xf16>, tensor<2xf32>
}

// -----

// DequantizeLinear of a constant weight, as the importer writes it: the cast,
// the zero-point subtraction and the scale all happen at compile time.
// CHECK-LABEL: func @dequantize
// CHECK-NEXT: %[[W:.*]] = sinter.constant dense<{{\[}}[-1.000000e+00, 0.000000e+00, 1.000000e+00], [5.000000e-01, 7.500000e-01, -2.500000e-01], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<3x3xf32>
// CHECK-NEXT: return %[[W]]
func.func @dequantize() -> tensor<3x3xf32> {
  %q = sinter.constant dense<[[-1, 0, 1], [3, 4, 0], [1, 2, 3]]> : tensor<3x3xi8>
  %zp = sinter.constant dense<[[0], [1], [0]]> : tensor<3x1xi8>
  %scale = sinter.constant dense<[[1.0], [0.25], [2.0]]> : tensor<3x1xf32>
  %qf = sinter.cast %q : tensor<3x3xi8> -> tensor<3x3xf32>
  %zf = sinter.cast %zp : tensor<3x1xi8> -> tensor<3x1xf32>
  %d = sinter.sub %qf, %zf : tensor<3x3xf32>, tensor<3x1xf32> -> tensor<3x3xf32>
  %y = sinter.mul %d, %scale : tensor<3x3xf32>, tensor<3x1xf32> -> tensor<3x3xf32>
  return %y : tensor<3x3xf32>
}

// -----

// Comparisons are ordered except ne; select picks by a broadcast condition.
// CHECK-LABEL: func @compare_select
// CHECK-DAG: sinter.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: sinter.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: sinter.constant dense<{{\[}}[1, 20, 3], [1, 20, 3]]> : tensor<2x3xi64>
func.func @compare_select() -> (tensor<3xi1>, tensor<3xi1>, tensor<2x3xi64>) {
  %a = sinter.constant dense<[1.0, 2.0, 0x7FC00000]> : tensor<3xf32>
  %b = sinter.constant dense<[1.0, 3.0, 0x7FC00000]> : tensor<3xf32>
  %eq = sinter.compare %a, %b {predicate = "eq"} : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %ne = sinter.compare %a, %b {predicate = "ne"} : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %m = sinter.constant dense<[true, false, true]> : tensor<3xi1>
  %x = sinter.constant dense<[1, 2, 3]> : tensor<3xi64>
  %y = sinter.constant dense<[[10, 20, 30], [10, 20, 30]]> : tensor<2x3xi64>
  %s = sinter.select %m, %x, %y : tensor<3xi1>, tensor<3xi64>, tensor<2x3xi64> -> tensor<2x3xi64>
  return %eq, %ne, %s : tensor<3xi1>, tensor<3xi1>, tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func @unary
// CHECK-DAG: sinter.constant dense<[0.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: sinter.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf64>
// CHECK-DAG: sinter.constant dense<[-2.000000e-01, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: sinter.constant dense<[5.000000e-01, 0.731058{{[0-9]*}}]> : tensor<2xf32>
func.func @unary() -> (tensor<3xf32>, tensor<2xf64>, tensor<2xf32>, tensor<2xf32>) {
  %a = sinter.constant dense<[-1.0, 0.0, 2.0]> : tensor<3xf32>
  %r = sinter.relu %a : tensor<3xf32>
  %b = sinter.constant dense<[4.0, 9.0]> : tensor<2xf64>
  %s = sinter.sqrt %b : tensor<2xf64>
  %c = sinter.constant dense<[-2.0, 4.0]> : tensor<2xf32>
  %l = sinter.leaky_relu %c {alpha = 0.1 : f32} : tensor<2xf32>
  %d = sinter.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %g = sinter.sigmoid %d : tensor<2xf32>
  return %r, %s, %l, %g : tensor<3xf32>, tensor<2xf64>, tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func @movement
// CHECK-DAG: sinter.constant dense<{{\[}}[6, 4], [3, 1]]> : tensor<2x2xi32>
// CHECK-DAG: sinter.constant dense<{{\[}}[1, 2, 3, 7], [4, 5, 6, 8]]> : tensor<2x4xi32>
// CHECK-DAG: sinter.constant dense<[true, false, false, true]> : tensor<4xi1>
// CHECK-DAG: sinter.constant dense<{{\[}}[1, 2, 3], [1, 2, 3]]> : tensor<2x3xi32>
func.func @movement() -> (tensor<2x2xi32>, tensor<2x4xi32>, tensor<4xi1>, tensor<2x3xi32>) {
  %a = sinter.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %s = sinter.slice %a {starts = array<i64: 1, 2>, sizes = array<i64: 2, 2>, steps = array<i64: -1, -2>} : tensor<2x3xi32> -> tensor<2x2xi32>
  %b = sinter.constant dense<[[7], [8]]> : tensor<2x1xi32>
  %c = sinter.concat %a, %b {axis = -1 : i64} : tensor<2x3xi32>, tensor<2x1xi32> -> tensor<2x4xi32>
  %m = sinter.constant dense<[true, false]> : tensor<2xi1>
  %n = sinter.constant dense<[false, true]> : tensor<2xi1>
  %mn = sinter.concat %m, %n {axis = 0 : i64} : tensor<2xi1>, tensor<2xi1> -> tensor<4xi1>
  // Out-of-range indices clamp, as at run time.
  %ids = sinter.constant dense<[0, 5]> : tensor<2xi64>
  %g = sinter.gather %a, %ids {axis = 0 : i64} : tensor<2x3xi32>, tensor<2xi64> -> tensor<2x3xi32>
  %row = sinter.slice %g {starts = array<i64: 0, 0>, sizes = array<i64: 1, 3>, steps = array<i64: 1, 1>} : tensor<2x3xi32> -> tensor<1x3xi32>
  %both = sinter.concat %row, %row {axis = 0 : i64} : tensor<1x3xi32>, tensor<1x3xi32> -> tensor<2x3xi32>
  return %s, %c, %mn, %both : tensor<2x2xi32>, tensor<2x4xi32>, tensor<4xi1>, tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func @reductions
// CHECK-DAG: sinter.constant dense<[6.000000e+00, 1.500000e+01]> : tensor<2xf32>
// CHECK-DAG: sinter.constant dense<{{\[}}[2.500000e+00, 3.500000e+00, 4.500000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: sinter.constant dense<[3, 6]> : tensor<2xi64>
func.func @reductions() -> (tensor<2xf32>, tensor<1x3xf32>, tensor<2xi64>) {
  %a = sinter.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %s = sinter.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  %m = sinter.reduce_mean %a {axes = array<i64: 0>, keepdims = true} : tensor<2x3xf32> -> tensor<1x3xf32>
  %i = sinter.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %x = sinter.reduce_max %i {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi64> -> tensor<2xi64>
  return %s, %m, %x : tensor<2xf32>, tensor<1x3xf32>, tensor<2xi64>
}

// -----

// Ops on run-time values stay.
// CHECK-LABEL: func @not_constant
// CHECK: sinter.add %arg0
func.func @not_constant(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = sinter.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = sinter.add %x, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Unsigned elements read zero-extended and wrap at their width; ui64 is not
// folded (its values do not all fit the folds' int64).
// CHECK-LABEL: func @unsigned
// CHECK-DAG: sinter.constant dense<[65535, 1]> : tensor<2xi32>
// CHECK-DAG: sinter.constant dense<[0, 4294967295]> : tensor<2xui32>
// CHECK: sinter.cast %{{.*}} : tensor<2xui64> -> tensor<2xi64>
func.func @unsigned() -> (tensor<2xi32>, tensor<2xui32>, tensor<2xi64>) {
  %a = sinter.constant dense<[65535, 1]> : tensor<2xui16>
  %b = sinter.cast %a : tensor<2xui16> -> tensor<2xi32>
  %c = sinter.constant dense<[4294967295, 4294967294]> : tensor<2xui32>
  %one = sinter.constant dense<1> : tensor<ui32>
  %d = sinter.add %c, %one : tensor<2xui32>, tensor<ui32> -> tensor<2xui32>
  %e = sinter.constant dense<[18446744073709551615, 1]> : tensor<2xui64>
  %f = sinter.cast %e : tensor<2xui64> -> tensor<2xi64>
  return %b, %d, %f : tensor<2xi32>, tensor<2xui32>, tensor<2xi64>
}
