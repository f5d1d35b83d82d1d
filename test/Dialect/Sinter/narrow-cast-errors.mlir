// RUN: sinter-opt %s -split-input-file -verify-diagnostics

func.func @both(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error@+1 {{needs exactly one of 'from' and 'to'}}
  %0 = sinter.narrow_cast %x from "float4e2m1" to "int4" : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @neither(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error@+1 {{needs exactly one of 'from' and 'to'}}
  %0 = sinter.narrow_cast %x : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @unknown(%x: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error@+1 {{unknown format "int3"}}
  %0 = sinter.narrow_cast %x to "int3" : tensor<4xf32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @wrong_carrier(%x: tensor<4xf32>) -> tensor<4xui8> {
  // expected-error@+1 {{to "int4" needs a 'i8' result, not 'ui8'}}
  %0 = sinter.narrow_cast %x to "int4" : tensor<4xf32> -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @float8_result(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{to "float8" needs an E4M3 or E5M2 result, not 'f32'}}
  %0 = sinter.narrow_cast %x to "float8" : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @e8m0(%x: tensor<4xf32>) -> tensor<4xf8E8M0FNU> {
  // expected-error@+1 {{to "float8" needs an E4M3 or E5M2 result}}
  %0 = sinter.narrow_cast %x to "float8" : tensor<4xf32> -> tensor<4xf8E8M0FNU>
  return %0 : tensor<4xf8E8M0FNU>
}

// -----

func.func @float8_source(%x: tensor<4xf8E5M2>) -> tensor<4xi8> {
  // expected-error@+1 {{converts from 'f8E5M2'; cast it to a wider type first}}
  %0 = sinter.narrow_cast %x to "int4" : tensor<4xf8E5M2> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @from_int4(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error@+1 {{from "int4" is not supported}}
  %0 = sinter.narrow_cast %x from "int4" : tensor<4xi8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @from_signed(%x: tensor<4xi8>) -> tensor<4xf32> {
  // expected-error@+1 {{from "float4e2m1" needs a ui8 input, not 'i8'}}
  %0 = sinter.narrow_cast %x from "float4e2m1" : tensor<4xi8> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @shape(%x: tensor<4xf32>) -> tensor<5xi8> {
  // expected-error@+1 {{shape changes}}
  %0 = sinter.narrow_cast %x to "int4" : tensor<4xf32> -> tensor<5xi8>
  return %0 : tensor<5xi8>
}
