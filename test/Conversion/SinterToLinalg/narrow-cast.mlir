// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// INT4 from f32: out of the int32 range and NaN are 0, then truncate toward
// zero and wrap by sign-extending the low four bits of the carrier byte.
// CHECK-LABEL: func.func @to_int4
// CHECK: linalg.generic
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf oge
// CHECK: arith.select
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[FOUR:.*]] = arith.constant 4 : i8
// CHECK: %[[HIGH:.*]] = arith.shli %{{.*}}, %[[FOUR]] : i8
// CHECK: arith.shrsi %[[HIGH]], %[[FOUR]] : i8
// CHECK: } -> tensor<4xi8>
func.func @to_int4(%x: tensor<4xf32>) -> tensor<4xi8> {
  %0 = sinter.narrow_cast %x to "int4" : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// UINT2 from an integer: only the low two bits survive, zero-extended.
// CHECK-LABEL: func.func @to_uint2
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[SIX:.*]] = arith.constant 6 : i8
// CHECK: arith.shli %{{.*}}, %[[SIX]] : i8
// CHECK: arith.shrui %{{.*}}, %[[SIX]] : i8
// CHECK: } -> tensor<4xui8>
func.func @to_uint2(%x: tensor<4xi32>) -> tensor<4xui8> {
  %0 = sinter.narrow_cast %x to "uint2" : tensor<4xi32> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// FLOAT4E2M1 from f16: the magnitude code counts the seven midpoints passed
// (ties toward the even code), compared in f16 itself; the sign goes to bit 3.
// CHECK-LABEL: func.func @to_float4
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : f16
// CHECK: arith.cmpf oge, %{{.*}}, %{{.*}} : f16
// CHECK-COUNT-5: arith.cmpf {{.*}} : f16
// CHECK: arith.cmpf uno
// CHECK: arith.constant 3 : i8
// CHECK: arith.shli
// CHECK: arith.ori
// CHECK: } -> tensor<4xui8>
func.func @to_float4(%x: tensor<4xf16>) -> tensor<4xui8> {
  %0 = sinter.narrow_cast %x to "float4e2m1" : tensor<4xf16> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// FLOAT4E2M1 to f16: decoded in f32, then rounded to the result type.
// CHECK-LABEL: func.func @from_float4
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.negf %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: } -> tensor<4xf16>
func.func @from_float4(%x: tensor<4xui8>) -> tensor<4xf16> {
  %0 = sinter.narrow_cast %x from "float4e2m1" : tensor<4xui8> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// saturate=0 to E5M2: |x| is clamped to 4 * 57344 only to keep the arithmetic
// finite; what rounds past 57344 becomes infinity (S.11111.00).
// CHECK-LABEL: func.func @to_e5m2_unsaturated
// CHECK: arith.constant 2.293760e+05 : f32
// CHECK: arith.minimumf
// CHECK: %[[MAX:.*]] = arith.constant 5.734400e+04 : f32
// CHECK: %[[OVER:.*]] = arith.cmpf ogt, %{{.*}}, %[[MAX]] : f32
// CHECK: %[[INF:.*]] = arith.constant 124 : i32
// CHECK: arith.ori %{{.*}}, %[[INF]]
// CHECK: arith.select %[[OVER]]
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @to_e5m2_unsaturated(%x: tensor<4xf32>) -> tensor<4xf8E5M2> {
  %0 = sinter.narrow_cast %x to "float8" : tensor<4xf32> -> tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// saturate=0 to E4M3FNUZ: overflow is the one NaN, 0x80.
// CHECK-LABEL: func.func @to_e4m3fnuz_unsaturated
// CHECK: arith.constant 9.600000e+02 : f32
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.select
// CHECK: arith.bitcast %{{.*}} : i8 to f8E4M3FNUZ
func.func @to_e4m3fnuz_unsaturated(%x: tensor<4xf64>) -> tensor<4xf8E4M3FNUZ> {
  %0 = sinter.narrow_cast %x to "float8" : tensor<4xf64> -> tensor<4xf8E4M3FNUZ>
  return %0 : tensor<4xf8E4M3FNUZ>
}
