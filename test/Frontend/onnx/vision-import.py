# The sinter ops the image, geometry and signal importers produce: dialect ops
# for data-dependent reads (GridSample, RoiAlign, Det), decompositions for the
# rest, and constants for what is known at compile time (windows,
# NonMaxSuppression of constant boxes).
# RUN: rm -rf %t && %sinter_python %s %t
# RUN: for m in gridsample roialign det deformconv; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s
# RUN: for m in affinegrid col2im maxunpool centercroppad; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s --check-prefix=DECOMP
# RUN: for m in dft stft tfidf; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s --check-prefix=SIGNAL
# RUN: for m in hann nms; do %sinter compile %t/$m.onnx --emit=sinter ; done | FileCheck %s --check-prefix=FOLD
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, inits=(), opset=20):
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_empty_tensor_value_info(n) for n in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 9
    onnx.save(model, os.path.join(out, name + ".onnx"))


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


F, I64 = TensorProto.FLOAT, TensorProto.INT64

# Opset 16's bicubic is cubic; the grid's dimensions become the output's.
# CHECK-LABEL: func.func @main
# CHECK: sinter.grid_sample %arg0, %arg1 {align_corners = true, mode = "cubic", padding_mode = "border"}
# CHECK-SAME: : tensor<2x3x5x6xf32>, tensor<2x4x7x2xf32> -> tensor<2x3x4x7xf32>
save("gridsample", [node("GridSample", ["x", "g"], ["y"], mode="bicubic",
                         padding_mode="border", align_corners=1)],
     [("x", F, [2, 3, 5, 6]), ("g", F, [2, 4, 7, 2])], ["y"], opset=16)

# Opset 10 has no half-pixel shift.
# CHECK-LABEL: func.func @main
# CHECK: sinter.roi_align %arg0, %arg1, %arg2 {half_pixel = false, mode = "max", output_height = 3 : i64, output_width = 2 : i64, sampling_ratio = 0 : i64, spatial_scale = 5.000000e-01 : f32}
# CHECK-SAME: -> tensor<4x3x3x2xf32>
save("roialign", [node("RoiAlign", ["x", "r", "b"], ["y"], mode="max", output_height=3,
                       output_width=2, spatial_scale=0.5)],
     [("x", F, [2, 3, 5, 6]), ("r", F, [4, 4]), ("b", I64, [4])], ["y"], opset=10)

# CHECK-LABEL: func.func @main
# CHECK: sinter.det %arg0 : tensor<2x3x4x4xf32> -> tensor<2x3xf32>
save("det", [node("Det", ["x"], ["y"])], [("x", F, [2, 3, 4, 4])], ["y"])

# DeformConv samples with one grid_sample (normalized without align_corners)
# and convolves by a grouped matrix product.
# CHECK-LABEL: func.func @main
# CHECK: sinter.grid_sample {{.*}} {align_corners = false, mode = "linear", padding_mode = "zeros"}
# CHECK-SAME: : tensor<2x2x5x6xf32>, tensor<2x4x20x2xf32> -> tensor<2x2x4x20xf32>
# CHECK: sinter.matmul {{.*}} : tensor<2x3x8xf32>, tensor<1x2x8x20xf32> -> tensor<1x2x3x20xf32>
save("deformconv", [node("DeformConv", ["x", "w", "o"], ["y"], group=2, offset_group=2)],
     [("x", F, [1, 4, 5, 6]), ("w", F, [6, 2, 2, 2]), ("o", F, [1, 16, 4, 5])], ["y"],
     opset=19)

# AffineGrid: constant homogeneous coordinates times theta transposed.
# DECOMP-LABEL: func.func @main
# DECOMP: %[[BASE:.*]] = sinter.constant dense<{{.*}}> : tensor<12x3xf32>
# DECOMP: %[[T:.*]] = sinter.transpose %arg0
# DECOMP: sinter.matmul %[[BASE]], %[[T]] : tensor<12x3xf32>, tensor<2x3x2xf32> -> tensor<2x12x2xf32>
# DECOMP: sinter.reshape {{.*}} -> tensor<2x3x4x2xf32>
save("affinegrid", [node("AffineGrid", ["t", "size"], ["y"])],
     [("t", F, [2, 2, 3])], ["y"], inits=[("size", np.array([2, 1, 3, 4], np.int64))])

# Col2Im adds every column element into the image with one scatter.
# DECOMP-LABEL: func.func @main
# DECOMP: sinter.scatter_elements {{.*}} {axis = 2 : i64, reduction = "add"}
# DECOMP-SAME: : tensor<1x2x16xf32>, tensor<1x2x36xi64>, tensor<1x2x36xf32> -> tensor<1x2x16xf32>
save("col2im", [node("Col2Im", ["x", "image", "block"], ["y"])],
     [("x", F, [1, 8, 9])], ["y"],
     inits=[("image", np.array([4, 4], np.int64)), ("block", np.array([2, 2], np.int64))],
     opset=18)

# MaxUnpool scatters into the unpooled shape, then pads to output_shape.
# DECOMP-LABEL: func.func @main
# DECOMP: sinter.scatter_elements {{.*}} {axis = 0 : i64} : tensor<16xf32>, tensor<4xi64>, tensor<4xf32> -> tensor<16xf32>
# DECOMP: sinter.concat {{.*}} -> tensor<1x1x5x4xf32>
# DECOMP: sinter.concat {{.*}} -> tensor<1x1x5x5xf32>
save("maxunpool", [node("MaxUnpool", ["x", "i", "shape"], ["y"], kernel_shape=[2, 2],
                        strides=[2, 2])],
     [("x", F, [1, 1, 2, 2]), ("i", I64, [1, 1, 2, 2])], ["y"],
     inits=[("shape", np.array([1, 1, 5, 5], np.int64))], opset=11)

# CenterCropPad: the odd element of a crop goes at the end, of a pad too.
# DECOMP-LABEL: func.func @main
# DECOMP: sinter.slice %arg0 {sizes = array<i64: 2, 4>, starts = array<i64: 1, 0>, steps = array<i64: 1, 1>}
# DECOMP: sinter.concat {{.*}} {axis = 1 : i64} : tensor<2x1xf32>, tensor<2x4xf32>, tensor<2x2xf32> -> tensor<2x7xf32>
save("centercroppad", [node("CenterCropPad", ["x", "shape"], ["y"])],
     [("x", F, [5, 4])], ["y"], inits=[("shape", np.array([2, 7], np.int64))], opset=18)

# DFT of a real signal along axis 1: two products with constant cos/sin
# matrices, one-sided (5 of 8 bins).
# SIGNAL-LABEL: func.func @main
# SIGNAL-COUNT-2: sinter.constant dense<{{.*}}> : tensor<8x5xf32>
# SIGNAL: sinter.transpose {{.*}} -> tensor<2x3x8xf32>
# SIGNAL-COUNT-2: sinter.matmul {{.*}} : tensor<6x8xf32>, tensor<8x5xf32> -> tensor<6x5xf32>
# SIGNAL: sinter.concat {{.*}} -> tensor<2x3x5x2xf32>
# SIGNAL: sinter.transpose {{.*}} -> tensor<2x5x3x2xf32>
save("dft", [node("DFT", ["x", "", "axis"], ["y"], onesided=1)],
     [("x", F, [2, 8, 3, 1])], ["y"], inits=[("axis", np.array(1, np.int64))])

# STFT frames the signal with one gather, then transforms each frame.
# SIGNAL-LABEL: func.func @main
# SIGNAL: sinter.gather %arg0, %{{.*}} {axis = 1 : i64} : tensor<1x16x1xf32>, tensor<3x8xi64> -> tensor<1x3x8x1xf32>
# SIGNAL: sinter.matmul {{.*}} : tensor<3x8xf32>, tensor<8x5xf32> -> tensor<3x5xf32>
# SIGNAL: -> tensor<1x3x5x2xf32>
save("stft", [node("STFT", ["x", "step", "", "len"], ["y"])],
     [("x", F, [1, 16, 1])], ["y"],
     inits=[("step", np.array(4, np.int64)), ("len", np.array(8, np.int64))], opset=17)

# TfIdfVectorizer compares all bigrams of each skip at once and routes the
# counts to their output slots by a 0/1 matrix.
# SIGNAL-LABEL: func.func @main
# SIGNAL: sinter.compare {{.*}} : tensor<2x1x5xi64>, tensor<2x1xi64> -> tensor<2x2x5xi1>
# SIGNAL: sinter.reduce_sum
# SIGNAL: sinter.matmul {{.*}} : tensor<2x2xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
save("tfidf", [node("TfIdfVectorizer", ["x"], ["y"], mode="TF", min_gram_length=2,
                    max_gram_length=2, max_skip_count=0, ngram_counts=[0, 0],
                    ngram_indexes=[2, 0], pool_int64s=[1, 2, 3, 4])],
     [("x", I64, [2, 6])], ["y"], opset=9)

# FOLD-LABEL: func.func @main
# FOLD: %[[W:.*]] = sinter.constant dense<[0.000000e+00, 2.500000e-01, 7.500000e-01, 1.000000e+00, 7.500000e-01, 2.500000e-01]> : tensor<6xf32>
# FOLD: return %[[W]]
save("hann", [node("HannWindow", ["n"], ["y"])], [], ["y"],
     inits=[("n", np.array(6, np.int64))], opset=17)

# Box 1 overlaps box 0 (IoU 0.81) and is suppressed; box 2 is kept.
# FOLD-LABEL: func.func @main
# FOLD: %[[S:.*]] = sinter.constant dense<{{\[\[}}0, 0, 0], [0, 0, 2]]> : tensor<2x3xi64>
# FOLD: return %[[S]]
save("nms", [node("NonMaxSuppression", ["boxes", "scores", "max", "iou"], ["y"])],
     [], ["y"], inits=[
         ("boxes", np.array([[[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 5, 1, 6]]], np.float32)),
         ("scores", np.array([[[0.9, 0.8, 0.7]]], np.float32)),
         ("max", np.array([5], np.int64)), ("iou", np.array([0.5], np.float32))],
     opset=11)
