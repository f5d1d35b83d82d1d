// RUN: sinter-opt %s -sinter-to-linalg -split-input-file | FileCheck %s

// Each output element reads its grid coordinates, then the 2x2 neighbours
// through indices clamped into the image (NaN included: minnum/maxnum drop
// it); zeros padding selects 0 for neighbours outside.
// CHECK-LABEL: func.func @grid_sample
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<1x3x3x2xf32>
// CHECK: math.floor
// CHECK: tensor.extract %{{.*}} : tensor<1x3x3x2xf32>
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.fptosi
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x2x4x5xf32>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
func.func @grid_sample(%x: tensor<1x2x4x5xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = sinter.grid_sample %x, %g {mode = "linear", padding_mode = "zeros", align_corners = false} : tensor<1x2x4x5xf32>, tensor<1x3x3x2xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Cubic sampling reads 4x4 neighbours; reflection mirrors the coordinate.
// CHECK-LABEL: func.func @grid_sample_cubic
// CHECK: linalg.generic
// CHECK-COUNT-16: tensor.extract %{{.*}} : tensor<1x1x4x5xf64>
func.func @grid_sample_cubic(%x: tensor<1x1x4x5xf64>, %g: tensor<1x2x2x2xf64>) -> tensor<1x1x2x2xf64> {
  %0 = sinter.grid_sample %x, %g {mode = "cubic", padding_mode = "reflection", align_corners = true} : tensor<1x1x4x5xf64>, tensor<1x2x2x2xf64> -> tensor<1x1x2x2xf64>
  return %0 : tensor<1x1x2x2xf64>
}

// -----

// The box and its batch index are read per output element; the sample count
// comes from the box, so the samples are an scf.for nest inside the generic.
// CHECK-LABEL: func.func @roi_align
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<3x2x2x2xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<3xi64>
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: math.ceil
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x2x4x5xf32>
// CHECK: arith.maximumf
// CHECK: scf.yield
// An empty bin pools to 0.
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: linalg.yield
func.func @roi_align(%x: tensor<1x2x4x5xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x2x2xf32> {
  %0 = sinter.roi_align %x, %r, %b {mode = "max", output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f32, half_pixel = true} : tensor<1x2x4x5xf32>, tensor<3x4xf32>, tensor<3xi64> -> tensor<3x2x2x2xf32>
  return %0 : tensor<3x2x2x2xf32>
}

// -----

// Elimination with partial pivoting over a working copy; f16 computes in f32.
// CHECK-LABEL: func.func @det
// CHECK: arith.extf
// CHECK: scf.for {{.*}} -> (tensor<2x3x3xf32>, tensor<2xf32>)
// CHECK: scf.for {{.*}} -> (tensor<2x3x3xf32>, f32)
// CHECK: math.absf
// CHECK: arith.cmpf ogt
// CHECK: tensor.insert
// CHECK: arith.negf
// CHECK: arith.divf
// CHECK: arith.truncf
func.func @det(%x: tensor<2x3x3xf16>) -> tensor<2xf16> {
  %0 = sinter.det %x : tensor<2x3x3xf16> -> tensor<2xf16>
  return %0 : tensor<2xf16>
}
