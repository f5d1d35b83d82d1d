// Image and geometry ops whose reads depend on the data: grid sampling, region-of-interest pooling, determinants.
#ifndef SINTER_VISION_OPS_TD
#define SINTER_VISION_OPS_TD

include "sinter/Dialect/SinterDialect.td"

def Sinter_GridSampleOp : Sinter_Op<"grid_sample", [InferTypeOpAdaptor]> {
  let summary = "samples an image at the positions a grid gives";
  let description = [{
    `input` is `[N, C, D1, ..., Dr]` and `grid` is `[N, O1, ..., Or, r]`: the
    last dimension of `grid` holds normalized coordinates in [-1, 1], the
    innermost spatial dimension first (x, y, z). The result is
    `[N, C, O1, ..., Or]`. With `align_corners`, -1 and 1 are the centers of
    the edge elements, otherwise their outer edges.

    `mode` is `linear` (2^r neighbours), `nearest` (rounding half to even) or
    `cubic` (4^r neighbours, Keys kernel with a = -0.75; r = 2 only).
    `padding_mode` says what positions outside the image read: `zeros`,
    `border` (the coordinate is clamped to the edge) or `reflection` (it is
    mirrored at the edges). Reads never leave `input`.

    Example:
    ```mlir
    %y = sinter.grid_sample %x, %g {mode = "linear", padding_mode = "zeros",
        align_corners = false}
        : tensor<1x3x8x8xf32>, tensor<1x4x4x2xf32> -> tensor<1x3x4x4xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, Sinter_FloatTensor:$grid,
                   StrAttr:$mode, StrAttr:$padding_mode,
                   BoolAttr:$align_corners);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $grid attr-dict `:` type($input) `,` type($grid) `->` type($output)
  }];
}

def Sinter_RoiAlignOp : Sinter_Op<"roi_align", [InferTypeOpAdaptor]> {
  let summary = "pools bilinearly sampled regions of interest to a fixed size";
  let description = [{
    `input` is `[N, C, H, W]`, `rois` is `[R, 4]` boxes `(x1, y1, x2, y2)` in
    input coordinates before `spatial_scale`, `batch_indices` is `[R]`. Each
    box is split into `output_height` x `output_width` bins; each bin averages
    (`mode = "avg"`) or takes the maximum (`mode = "max"`) of a grid of
    bilinear samples, `sampling_ratio` per bin side or, when it is 0,
    `ceil(bin size)`. With `half_pixel` the box is shifted by -0.5 pixels
    first. Samples more than one pixel outside the image count as 0; a bad
    batch index is clamped, so reads never leave `input`.
    The result is `[R, C, output_height, output_width]`.

    Example:
    ```mlir
    %y = sinter.roi_align %x, %rois, %idx {mode = "avg", output_height = 5 : i64,
        output_width = 5 : i64, sampling_ratio = 2 : i64,
        spatial_scale = 1.0 : f32, half_pixel = true}
        : tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64> -> tensor<3x1x5x5xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input, Sinter_FloatTensor:$rois,
                   Sinter_IndexTensor:$batch_indices, StrAttr:$mode,
                   I64Attr:$output_height, I64Attr:$output_width,
                   I64Attr:$sampling_ratio, F32Attr:$spatial_scale,
                   BoolAttr:$half_pixel);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $rois `,` $batch_indices attr-dict `:` type($input) `,`
    type($rois) `,` type($batch_indices) `->` type($output)
  }];
}

def Sinter_DetOp : Sinter_Op<"det", [InferTypeOpAdaptor]> {
  let summary = "determinants of square matrices";
  let description = [{
    `input` is `[..., M, M]`; the result `[...]` holds the determinant of
    each matrix, computed by LU decomposition with partial pivoting in the
    element type (f32 for f16 and bf16).

    Example:
    ```mlir
    %d = sinter.det %x : tensor<2x3x3xf32> -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Sinter_FloatTensor:$input);
  let results = (outs Sinter_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

#endif // SINTER_VISION_OPS_TD
