# RUN: %sinter_python %s %sinter %t
# Image and geometry ops end to end against onnxruntime (or ONNX's reference
# where onnxruntime lacks the op or a case): the cases the conformance tests
# leave out -- every GridSample mode and padding with and without
# align_corners, far-outside and 3-D grids, RoiAlign boxes leaving the image,
# batched and singular Det, padded and dilated Col2Im, strided MaxUnpool,
# grouped DeformConv, odd CenterCropPad, NonMaxSuppression of constants.
import os
import sys

import numpy as np
from onnx import helper

from sinter_testing import initializer, reference, run, single_graph_model, sinter_run_expect, value_info
from sinter_testing import onnx_reference as reference_outputs

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(7)
failures = []


def check(tag, nodes, feeds, outputs, inits=(), opset=20, onnx_reference=False,
          tol=1e-4):
    model = single_graph_model(tag, nodes, feeds, outputs, inits, opset)
    model.ir_version = 10 if opset >= 21 else 9
    expected = (reference_outputs(model, feeds, outputs) if onnx_reference
                else reference(model, feeds))
    result = sinter_run_expect(sinter, model, feeds, expected, workdir, tag, tol)
    if result.returncode != 0:
        failures.append(f"{tag}: {result.stderr.strip()}")
    print(f"{tag}: {'ok' if result.returncode == 0 else 'FAILED'}")


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


def floats(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# GridSample: coordinates up to 1.6 outside [-1, 1] exercise every padding.
image = floats(2, 3, 5, 6)
grid = rng.uniform(-2.6, 2.6, (2, 4, 7, 2)).astype(np.float32)
for mode in ["linear", "nearest", "cubic"]:
    for padding in ["zeros", "border", "reflection"]:
        for align in [0, 1]:
            check(f"gridsample_{mode}_{padding}_{align}",
                  [node("GridSample", ["x", "g"], ["y"], mode=mode,
                        padding_mode=padding, align_corners=align)],
                  {"x": image, "g": grid}, ["y"], onnx_reference=True)
# Opset 16's names; onnxruntime as the reference. (With border or reflection
# padding onnxruntime pads each cubic tap, as PyTorch does, where the
# specification's reference moves the coordinate first; Sinter follows the
# specification, so those are compared with the reference above.)
check("gridsample_opset16_bicubic",
      [node("GridSample", ["x", "g"], ["y"], mode="bicubic", padding_mode="zeros")],
      {"x": image, "g": grid}, ["y"], opset=16)
check("gridsample_opset16_bilinear",
      [node("GridSample", ["x", "g"], ["y"], padding_mode="reflection",
            align_corners=1)],
      {"x": image, "g": grid}, ["y"], opset=16)
# Far outside: reflection folds many periods.
check("gridsample_far_reflection",
      [node("GridSample", ["x", "g"], ["y"], padding_mode="reflection")],
      {"x": image, "g": (grid * 9).astype(np.float32)}, ["y"], onnx_reference=True)
volume = floats(1, 2, 3, 4, 5)
grid3 = rng.uniform(-1.3, 1.3, (1, 2, 3, 4, 3)).astype(np.float32)
for mode in ["linear", "nearest"]:
    for padding in ["zeros", "border", "reflection"]:
        check(f"gridsample_3d_{mode}_{padding}",
              [node("GridSample", ["x", "g"], ["y"], mode=mode, padding_mode=padding)],
              {"x": volume, "g": grid3}, ["y"], onnx_reference=True)

# AffineGrid, 2-D and 3-D, feeding GridSample.
for align in [0, 1]:
    check(f"affine_grid_2d_{align}",
          [node("AffineGrid", ["theta", "size"], ["grid"], align_corners=align),
           node("GridSample", ["x", "grid"], ["y"], align_corners=align)],
          {"theta": floats(2, 2, 3), "x": image}, ["grid", "y"],
          inits=[("size", np.array([2, 3, 4, 3], np.int64))], onnx_reference=True)
    check(f"affine_grid_3d_{align}",
          [node("AffineGrid", ["theta", "size"], ["grid"], align_corners=align)],
          {"theta": floats(2, 3, 4)}, ["grid"],
          inits=[("size", np.array([2, 1, 2, 3, 4], np.int64))], onnx_reference=True)

# RoiAlign: boxes partly and wholly outside, adaptive and fixed sampling.
rois = np.array([[0, 0, 5, 4], [1.5, -2, 7.5, 3.2], [-9, -9, -3, -3], [2, 2, 2.4, 2.2]],
                np.float32)
batch = np.array([1, 0, 1, 0], np.int64)
for mode in ["avg", "max"]:
    for transform in ["half_pixel", "output_half_pixel"]:
        for ratio in [0, 2]:
            check(f"roialign_{mode}_{transform}_{ratio}",
                  [node("RoiAlign", ["x", "rois", "b"], ["y"], mode=mode,
                        coordinate_transformation_mode=transform,
                        output_height=3, output_width=2, sampling_ratio=ratio,
                        spatial_scale=0.9)],
                  {"x": image, "rois": rois, "b": batch}, ["y"], opset=16)
check("roialign_opset10",
      [node("RoiAlign", ["x", "rois", "b"], ["y"], output_height=2, output_width=2)],
      {"x": image, "rois": rois, "b": batch}, ["y"], opset=10)

# Det: batches, a singular matrix, a 1x1 matrix, a pivot that needs swapping.
singular = floats(3, 3)
singular[2] = singular[0] * 2 - singular[1]
swap = np.array([[0, 2, 1], [3, 1, 0], [1, 1, 1]], np.float32)
check("det_batch", [node("Det", ["x"], ["y"])], {"x": floats(2, 3, 4, 4)}, ["y"])
check("det_singular_swap", [node("Det", ["x"], ["y"])],
      {"x": np.stack([singular, swap])}, ["y"])
check("det_1x1", [node("Det", ["x"], ["y"])], {"x": floats(5, 1, 1)}, ["y"])

# Col2Im: padding, dilation, stride, a 3-D image.
check("col2im_padded",
      [node("Col2Im", ["x", "image", "block"], ["y"], pads=[1, 0, 2, 1],
            dilations=[2, 1], strides=[1, 2])],
      {"x": floats(2, 3 * 4, 6 * 3)}, ["y"],
      inits=[("image", np.array([5, 5], np.int64)), ("block", np.array([2, 2], np.int64))],
      opset=18, onnx_reference=True)
check("col2im_3d",
      [node("Col2Im", ["x", "image", "block"], ["y"])],
      {"x": floats(1, 2 * 8, 2 * 2 * 3)}, ["y"],
      inits=[("image", np.array([3, 3, 4], np.int64)),
             ("block", np.array([2, 2, 2], np.int64))], opset=18, onnx_reference=True)

# MaxUnpool of what MaxPool returns (computed by onnxruntime: Sinter's MaxPool
# has no Indices output) with strides and pads, and into a larger output_shape.
def max_pool(x, **attrs):
    model = helper.make_model(
        helper.make_graph([node("MaxPool", ["x"], ["p", "i"], **attrs)], "pool",
                          [value_info("x", x.shape)],
                          [helper.make_empty_tensor_value_info("p"),
                           helper.make_empty_tensor_value_info("i")]),
        opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 8
    result = reference(model, {"x": x})
    return result["p"], result["i"]


pooled, where = max_pool(image, kernel_shape=[3, 2], strides=[2, 2], pads=[1, 0, 1, 0])
check("maxunpool_pads",
      [node("MaxUnpool", ["p", "i"], ["y"], kernel_shape=[3, 2], strides=[2, 2],
            pads=[1, 0, 1, 0])],
      {"p": pooled, "i": where}, ["y"], opset=11)
pooled, where = max_pool(image[:, :, :4], kernel_shape=[2, 2], strides=[2, 2])
check("maxunpool_output_shape",
      [node("MaxUnpool", ["p", "i", "shape"], ["y"], kernel_shape=[2, 2],
            strides=[2, 2])],
      {"p": pooled, "i": where}, ["y"],
      inits=[("shape", np.array([2, 3, 5, 7], np.int64))], opset=11,
      onnx_reference=True)

# CenterCropPad: odd crop and odd pad on negative axes, integers.
check("center_crop_pad",
      [node("CenterCropPad", ["x", "shape"], ["y"], axes=[-1, -3])],
      {"x": rng.integers(-9, 9, (3, 4, 5)).astype(np.int32)}, ["y"],
      inits=[("shape", np.array([2, 6], np.int64))], opset=18)

# DeformConv: groups, offset groups, bias and mask, strides, dilation, padding.
check("deform_conv_groups",
      [node("DeformConv", ["x", "w", "offset", "b", "mask"], ["y"], group=2,
            offset_group=2, pads=[1, 0, 1, 1], strides=[2, 1], dilations=[1, 2])],
      {"x": floats(2, 4, 5, 6), "w": floats(6, 2, 2, 2),
       "offset": floats(2, 2 * 4 * 2, 3, 5), "b": floats(6),
       "mask": rng.uniform(0, 1, (2, 2 * 4, 3, 5)).astype(np.float32)}, ["y"],
      opset=19, onnx_reference=True)
check("deform_conv_plain",
      [node("DeformConv", ["x", "w", "offset"], ["y"], kernel_shape=[3, 3])],
      {"x": floats(1, 3, 4, 4), "w": floats(2, 3, 3, 3),
       "offset": floats(1, 18, 2, 2, scale=2.0)}, ["y"], opset=19, onnx_reference=True)

# NonMaxSuppression of compile-time boxes: corner order, centers, thresholds.
boxes = rng.uniform(0, 10, (2, 12, 4)).astype(np.float32)
scores = rng.uniform(0, 1, (2, 3, 12)).astype(np.float32)
for center in [0, 1]:
    check(f"nms_{center}",
          [node("NonMaxSuppression", ["boxes", "scores", "max", "iou", "score"],
                ["y"], center_point_box=center)],
          {}, ["y"],
          inits=[("boxes", boxes), ("scores", scores),
                 ("max", np.array([4], np.int64)), ("iou", np.array([0.3], np.float32)),
                 ("score", np.array([0.2], np.float32))], opset=11)

if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
