// RUN: sinter-opt %s -split-input-file -verify-diagnostics

// The vision ops' verifiers.

func.func @grid_rank(%x: tensor<1x1x4x4xf32>, %g: tensor<1x4x2xf32>) -> tensor<1x1x4xf32> {
  // expected-error @+2 {{grid 'tensor<1x4x2xf32>' must be [N, out..., 2] for input 'tensor<1x1x4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.grid_sample %x, %g {mode = "linear", padding_mode = "zeros", align_corners = false} : tensor<1x1x4x4xf32>, tensor<1x4x2xf32> -> tensor<1x1x4xf32>
  return %0 : tensor<1x1x4xf32>
}

// -----

func.func @grid_padding(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{unknown padding_mode 'wrap' (expected zeros, border or reflection)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.grid_sample %x, %g {mode = "linear", padding_mode = "wrap", align_corners = false} : tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32> -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @grid_empty(%x: tensor<1x1x0x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+2 {{cannot sample an empty input 'tensor<1x1x0x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.grid_sample %x, %g {mode = "nearest", padding_mode = "zeros", align_corners = false} : tensor<1x1x0x4xf32>, tensor<1x2x2x2xf32> -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @roi_rois(%x: tensor<1x1x4x4xf32>, %r: tensor<2x5xf32>, %b: tensor<2xi64>) -> tensor<2x1x1x1xf32> {
  // expected-error @+2 {{rois must be [R, 4], got 'tensor<2x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.roi_align %x, %r, %b {mode = "avg", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f32, half_pixel = true} : tensor<1x1x4x4xf32>, tensor<2x5xf32>, tensor<2xi64> -> tensor<2x1x1x1xf32>
  return %0 : tensor<2x1x1x1xf32>
}

// -----

func.func @roi_sizes(%x: tensor<1x1x4x4xf32>, %r: tensor<2x4xf32>, %b: tensor<2xi64>) -> tensor<2x1x1x1xf32> {
  // expected-error @+2 {{output sizes must be positive and sampling_ratio non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.roi_align %x, %r, %b {mode = "avg", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = -1 : i64, spatial_scale = 1.0 : f32, half_pixel = true} : tensor<1x1x4x4xf32>, tensor<2x4xf32>, tensor<2xi64> -> tensor<2x1x1x1xf32>
  return %0 : tensor<2x1x1x1xf32>
}

// -----

func.func @det_square(%x: tensor<2x3x4xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{input must be [..., M, M], got 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = sinter.det %x : tensor<2x3x4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
