# RUN: %sinter_python %s %sinter %t
# Attention masks as exporters write them: a causal mask from Less on Range-like
# constants, Where filling masked scores with a large negative value, Equal/Greater on
# a padding mask; checked against onnxruntime.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(8)
S = 6
rows = np.arange(S, dtype=np.int64).reshape(S, 1)
cols = np.arange(S, dtype=np.int64).reshape(1, S)

nodes = [
    helper.make_node("Less", ["rows", "cols"], ["future"], name="causal"),
    helper.make_node("Where", ["future", "neg", "scores"], ["masked"], name="mask_future"),
    helper.make_node("Equal", ["pad", "zero"], ["is_pad"], name="padding"),
    helper.make_node("Where", ["is_pad", "neg", "masked"], ["masked2"], name="mask_pad"),
    helper.make_node("Softmax", ["masked2"], ["probs"], name="softmax", axis=-1),
    helper.make_node("Greater", ["probs", "tenth"], ["big"], name="threshold"),
    helper.make_node("Cast", ["big"], ["big_f"], name="cast", to=1),
]
model = make_model(nodes, [value_info("scores", [2, S, S]), value_info("pad", [2, 1, S], np.int64)],
                   [value_info("probs", [2, S, S]), value_info("big_f", [2, S, S])],
                   [initializer("rows", rows), initializer("cols", cols),
                    initializer("neg", np.array(-1e9, np.float32)),
                    initializer("zero", np.array(0, np.int64)),
                    initializer("tenth", np.array(0.1, np.float32))], opset=13)
scores = rng.standard_normal((2, 1, S)).repeat(S, axis=1).astype(np.float32)
scores += rng.standard_normal((2, S, S)).astype(np.float32)
pad = np.ones((2, 1, S), np.int64)
pad[1, 0, 4:] = 0
check_sinter_run(sinter, model, {"scores": scores, "pad": pad}, workdir, "masks")
