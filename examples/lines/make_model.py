"""Writes lines.onnx: a tiny CNN whose hand-set filters tell horizontal, vertical and
diagonal strokes apart in an 8x8 image. Run with the project venv's python."""
import os

import numpy as np
import onnx
from onnx import helper, numpy_helper

# One 3x3 filter per class: each responds to a line of that orientation through
# its centre and penalizes ink elsewhere.
filters = np.array([
    [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]],   # horizontal
    [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]],   # vertical
    [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]],   # diagonal
], dtype=np.float32).reshape(3, 1, 3, 3)

nodes = [
    helper.make_node("Conv", ["image", "filters"], ["response"], name="detect", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["response"], ["evidence"], name="rectify"),
    helper.make_node("GlobalAveragePool", ["evidence"], ["pooled"], name="pool"),
    helper.make_node("Flatten", ["pooled"], ["scores"], name="flatten"),
    helper.make_node("Mul", ["scores", "sharpness"], ["logits"], name="sharpen"),
    helper.make_node("Softmax", ["logits"], ["probabilities"], name="classify", axis=1),
]
graph = helper.make_graph(
    nodes, "lines",
    [helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, [1, 1, 8, 8])],
    [helper.make_tensor_value_info("probabilities", onnx.TensorProto.FLOAT, [1, 3])],
    [numpy_helper.from_array(filters, "filters"),
     numpy_helper.from_array(np.array(8.0, np.float32), "sharpness")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                          producer_name="sinter-examples")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lines.onnx"))
