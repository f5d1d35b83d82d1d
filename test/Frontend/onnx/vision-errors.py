# Bad image, geometry and signal nodes fail with one line naming the node and
# what is wrong; what Sinter cannot compile (NonMaxSuppression of run-time
# boxes, ImageDecoder, string n-grams, huge DFTs) is refused, never guessed.
# RUN: rm -rf %t && %sinter_python %s %t
# RUN: for m in nms_runtime image_decoder gridsample_mode gridsample_cubic3d det_int dft_axis dft_large col2im_shape tfidf_strings roialign_mode resize_roi maxunpool_shape crop_shape affine_theta stft_length; do not %sinter compile %t/$m.onnx 2>&1; done | FileCheck %s --implicit-check-not=error
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
F, I64 = TensorProto.FLOAT, TensorProto.INT64


def save(name, op, inputs, inits=(), opset=20, outputs=("y",), **attrs):
    graph = helper.make_graph(
        [helper.make_node(op, [n for n, _, _ in inputs] + [n for n, _ in inits],
                          list(outputs), name="bad", **attrs)], name,
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_empty_tensor_value_info(n) for n in outputs],
        [numpy_helper.from_array(np.asarray(v), n) for n, v in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 9
    onnx.save(model, os.path.join(out, name + ".onnx"))


# CHECK: sinter: error: {{.*}}nms_runtime.onnx: node 'bad' (NonMaxSuppression): input 'b' (boxes: the output size of NonMaxSuppression depends on it) must be known at compile time; Sinter compiles static shapes only
save("nms_runtime", "NonMaxSuppression", [("b", F, [1, 4, 4]), ("s", F, [1, 1, 4])],
     opset=11)

# CHECK: sinter: error: {{.*}}image_decoder.onnx: node 'bad' (ImageDecoder): ImageDecoder is not supported: decoding encoded images needs image codecs in the runtime, which Sinter does not link; decode before inference
save("image_decoder", "ImageDecoder", [("x", TensorProto.UINT8, [100])])

# CHECK: sinter: error: {{.*}}gridsample_mode.onnx: node 'bad' (GridSample): unknown mode 'area' (expected linear, nearest or cubic)
save("gridsample_mode", "GridSample", [("x", F, [1, 1, 4, 4]), ("g", F, [1, 2, 2, 2])],
     mode="area")

# CHECK: sinter: error: {{.*}}gridsample_cubic3d.onnx: node 'bad' (GridSample): cubic sampling needs 2 spatial dimensions
save("gridsample_cubic3d", "GridSample",
     [("x", F, [1, 1, 4, 4, 4]), ("g", F, [1, 2, 2, 2, 3])], mode="cubic")

# CHECK: sinter: error: {{.*}}det_int.onnx: node 'bad' (Det): Det needs a float tensor, got 'tensor<3x3xi64>'
save("det_int", "Det", [("x", I64, [3, 3])])

# CHECK: sinter: error: {{.*}}dft_axis.onnx: node 'bad' (DFT): axis -1 is the real/imaginary dimension
save("dft_axis", "DFT", [("x", F, [4, 8, 2])], [("n", np.array(8, np.int64)),
                                              ("axis", np.array(-1, np.int64))])

# CHECK: sinter: error: {{.*}}dft_large.onnx: node 'bad' (DFT): a DFT of length 100000 is not supported (the largest is 4096 points)
save("dft_large", "DFT", [("x", F, [1, 100000, 1])])

# CHECK: sinter: error: {{.*}}col2im_shape.onnx: node 'bad' (Col2Im): input must be [N, C * 4, 9], got 'tensor<1x8x8xf32>'
save("col2im_shape", "Col2Im", [("x", F, [1, 8, 8])],
     [("image", np.array([4, 4], np.int64)), ("block", np.array([2, 2], np.int64))],
     opset=18)

# CHECK: sinter: error: {{.*}}tfidf_strings.onnx: node 'bad' (TfIdfVectorizer): string n-grams are not supported
save("tfidf_strings", "TfIdfVectorizer", [("x", I64, [4])], opset=9, mode="TF",
     min_gram_length=1, max_gram_length=1, max_skip_count=0, ngram_counts=[0],
     ngram_indexes=[0], pool_strings=["a"])

# CHECK: sinter: error: {{.*}}roialign_mode.onnx: node 'bad' (RoiAlign): unknown coordinate_transformation_mode 'corner'
save("roialign_mode", "RoiAlign", [("x", F, [1, 1, 4, 4]), ("r", F, [1, 4]),
                                   ("b", I64, [1])], opset=16,
     coordinate_transformation_mode="corner")

# CHECK: sinter: error: {{.*}}resize_roi.onnx: node 'bad' (Resize): roi must hold 8 floats (starts, then ends), got 'tensor<4xf32>'
save("resize_roi", "Resize", [("x", F, [1, 1, 4, 4])],
     [("roi", np.array([0, 0, 1, 1], np.float32)), ("scales", np.array([1, 1, 2, 2], np.float32))],
     opset=18, coordinate_transformation_mode="tf_crop_and_resize")

# CHECK: sinter: error: {{.*}}maxunpool_shape.onnx: node 'bad' (MaxUnpool): output_shape [1, 1, 3, 3] must keep N and C and be at least the unpooled shape [1, 1, 4, 4]
save("maxunpool_shape", "MaxUnpool", [("x", F, [1, 1, 2, 2]), ("i", I64, [1, 1, 2, 2])],
     [("shape", np.array([1, 1, 3, 3], np.int64))], opset=11, kernel_shape=[2, 2],
     strides=[2, 2])

# CHECK: sinter: error: {{.*}}crop_shape.onnx: node 'bad' (CenterCropPad): shape [2] must have one size per axis (2)
save("crop_shape", "CenterCropPad", [("x", F, [4, 4])], [("shape", np.array([2], np.int64))],
     opset=18)

# CHECK: sinter: error: {{.*}}affine_theta.onnx: node 'bad' (AffineGrid): theta must be a float [1, 3, 4] tensor, got 'tensor<1x2x3xf32>'
save("affine_theta", "AffineGrid", [("t", F, [1, 2, 3])],
     [("size", np.array([1, 1, 2, 2, 2], np.int64))])

# CHECK: sinter: error: {{.*}}stft_length.onnx: node 'bad' (STFT): frame_step must be positive and frame_length between 1 and the signal length 8
save("stft_length", "STFT", [("x", F, [1, 8, 1])],
     [("step", np.array(2, np.int64)), ("w", np.ones(16, np.float32))], opset=17)
