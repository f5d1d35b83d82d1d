// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Unsigned elements compute on signless values (arith has no unsigned types)
// with the unsigned ops; the casts disappear when LLVM lowering makes both iN.
// CHECK-LABEL: func.func @unsigned_binary
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A:.+]]: ui8, %[[B:.+]]: ui8, %{{.+}}: ui8):
// CHECK:   %[[X:.+]] = builtin.unrealized_conversion_cast %[[A]] : ui8 to i8
// CHECK:   %[[Y:.+]] = builtin.unrealized_conversion_cast %[[B]] : ui8 to i8
// CHECK:   %[[S:.+]] = arith.addi %[[X]], %[[Y]] : i8
// CHECK:   %[[R:.+]] = builtin.unrealized_conversion_cast %[[S]] : i8 to ui8
// CHECK:   linalg.yield %[[R]] : ui8
// CHECK: arith.divui
// CHECK: arith.maxui
// CHECK: arith.minui
func.func @unsigned_binary(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = sinter.add %a, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %1 = sinter.div %0, %b : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %2 = sinter.max %1, %a : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  %3 = sinter.min %2, %a : tensor<4xui8>, tensor<4xui8> -> tensor<4xui8>
  return %3 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @unsigned_compare
// CHECK: arith.cmpi ult
func.func @unsigned_compare(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xi1> {
  %0 = sinter.compare %a, %b {predicate = "lt"} : tensor<4xui32>, tensor<4xui32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Integer division never traps: a zero divisor gives 0, MIN / -1 wraps.
// CHECK-LABEL: func.func @signed_division
// CHECK: %[[ZERO:.+]] = arith.cmpi eq, %{{.+}}, %{{.+}} : i32
// CHECK: %[[MINUS1:.+]] = arith.cmpi eq
// CHECK: %[[RISKY:.+]] = arith.ori %[[ZERO]], %[[MINUS1]]
// CHECK: %[[D:.+]] = arith.select %[[RISKY]]
// CHECK: arith.divsi %{{.+}}, %[[D]]
// CHECK: arith.subi
// CHECK: arith.select %[[MINUS1]]
// CHECK: arith.select %[[ZERO]]
func.func @signed_division(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = sinter.div %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Mod: the truncating remainder moved to the divisor's sign; fmod keeps it.
// CHECK-LABEL: func.func @integer_mod
// CHECK: linalg.generic
// CHECK:   arith.remsi
// CHECK:   arith.cmpi slt
// CHECK:   arith.addi
// CHECK: linalg.generic
// CHECK:   arith.remsi
// CHECK-NOT: arith.addi
// CHECK: linalg.generic
// CHECK:   arith.remui
func.func @integer_mod(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui16>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xui16>) {
  %0 = sinter.mod %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %1 = sinter.mod %a, %b {fmod = true} : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %2 = sinter.mod %c, %c : tensor<4xui16>, tensor<4xui16> -> tensor<4xui16>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xi32>, tensor<4xui16>
}

// -----

// Float mod of f16 computes in f32: frem, then numpy's sign fix-up.
// CHECK-LABEL: func.func @float_mod
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: arith.remf %{{.+}} : f32
// CHECK: math.copysign
// CHECK: arith.truncf %{{.+}} : f32 to f16
func.func @float_mod(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  %0 = sinter.mod %a, %b : tensor<4xf16>, tensor<4xf16> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Counts outside [0, width) shift everything out; signed right shifts are
// arithmetic and clamp the count to width - 1.
// CHECK-LABEL: func.func @bit_shift
// CHECK: linalg.generic
// CHECK:   %[[OUT:.+]] = arith.cmpi uge
// CHECK:   arith.shli
// CHECK:   arith.select %[[OUT]]
// CHECK: linalg.generic
// CHECK:   arith.cmpi uge
// CHECK:   arith.shrsi
// CHECK: linalg.generic
// CHECK:   arith.shrui
func.func @bit_shift(%a: tensor<4xi8>, %b: tensor<4xi8>, %c: tensor<4xui64>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xui64>) {
  %0 = sinter.bit_shift %a, %b {direction = "left"} : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %1 = sinter.bit_shift %a, %b {direction = "right"} : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %2 = sinter.bit_shift %c, %c {direction = "right"} : tensor<4xui64>, tensor<4xui64> -> tensor<4xui64>
  return %0, %1, %2 : tensor<4xi8>, tensor<4xi8>, tensor<4xui64>
}

// -----

// CHECK-LABEL: func.func @bitwise
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: arith.xori
// CHECK: %[[ONES:.+]] = arith.constant true
// CHECK: arith.xori %{{.+}}, %[[ONES]] : i1
func.func @bitwise(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = sinter.bitwise_and %a, %b : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %1 = sinter.bitwise_or %0, %b : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %2 = sinter.bitwise_xor %1, %a : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %3 = sinter.bitwise_not %2 : tensor<4xi1>
  return %3 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @integer_neg_abs
// CHECK: arith.subi
// CHECK: math.absi
func.func @integer_neg_abs(%a: tensor<4xi16>) -> tensor<4xi16> {
  %0 = sinter.neg %a : tensor<4xi16>
  %1 = sinter.abs %0 : tensor<4xi16>
  return %1 : tensor<4xi16>
}

// -----

// Casts pick the unsigned conversions for unsigned types; narrow targets go
// through i32 so that out-of-range floats wrap as in C instead of being poison.
// CHECK-LABEL: func.func @unsigned_casts
// CHECK: arith.uitofp %{{.+}} : i32 to f32
// CHECK: arith.extui %{{.+}} : i16 to i64
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
// CHECK: arith.fptoui %{{.+}} : f32 to i64
func.func @unsigned_casts(%a: tensor<4xui32>, %b: tensor<4xui16>, %c: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi64>, tensor<4xui8>, tensor<4xui64>) {
  %0 = sinter.cast %a : tensor<4xui32> -> tensor<4xf32>
  %1 = sinter.cast %b : tensor<4xui16> -> tensor<4xi64>
  %2 = sinter.cast %c : tensor<4xf32> -> tensor<4xui8>
  %3 = sinter.cast %c : tensor<4xf32> -> tensor<4xui64>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xi64>, tensor<4xui8>, tensor<4xui64>
}
