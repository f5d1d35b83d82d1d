# RUN: %sinter_python %s %sinter %t %cc %sinter_include %sinter_rt %S/Inputs/run_model.c
# A C program that uses only sinter.h and the generated header links a compiled CNN
# and the runtime, runs it twice (same answer) and matches onnxruntime; the C API
# refuses a wrong shape, dtype, rank and a missing input.
import os
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import (ATOL, RTOL, initializer, make_model, reference, run,
                            value_info)

sinter, workdir, cc, include_dir, runtime, program = sys.argv[1:7]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(5)

w = (rng.standard_normal((6, 3, 3, 3)) * 0.3).astype(np.float32)
dw = (rng.standard_normal((6, 1, 3, 3)) * 0.3).astype(np.float32)
fc = (rng.standard_normal((4, 6)) * 0.3).astype(np.float32)
nodes = [
    helper.make_node("Conv", ["image", "w"], ["c"], name="conv", strides=[2, 2],
                     pads=[1, 0, 2, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Conv", ["r", "dw"], ["d"], name="depthwise", group=6, pads=[1, 1, 1, 1]),
    helper.make_node("GlobalAveragePool", ["d"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
    helper.make_node("MatMul", ["f", "fc_t"], ["logits"], name="fc"),
    helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=1),
]
model = make_model(nodes, [value_info("image", [1, 3, 17, 15])],
                   [value_info("probs", [1, 4]), value_info("logits", [1, 4])],
                   [initializer("w", w), initializer("dw", dw), initializer("fc_t", fc.T.copy())],
                   opset=14)
path = os.path.join(workdir, "tiny_cnn.onnx")
onnx.save(model, path)

obj = os.path.join(workdir, "tiny_cnn.o")
run([sinter, "compile", path, "-o", obj])
header = os.path.join(workdir, "tiny_cnn.h")
assert os.path.exists(header), "compile must write the header beside the object"
text = open(header).read()
assert "const sinter_model *tiny_cnn_model(void);" in text, text
assert '#include "sinter/sinter.h"' in text, text

exe = os.path.join(workdir, "run_model")
run([cc, "-std=c11", "-Wall", "-Werror", f"-I{include_dir}", f"-I{workdir}",
     '-DMODEL_HEADER="tiny_cnn.h"', "-DMODEL_FN=tiny_cnn_model", program, obj, runtime,
     "-lm", "-o", exe])

x = rng.standard_normal((1, 3, 17, 15)).astype(np.float32)
inp = os.path.join(workdir, "image.bin")
x.tofile(inp)
out_dir = os.path.join(workdir, "out")
os.makedirs(out_dir, exist_ok=True)
result = run([exe, out_dir, inp])
print(result.stdout)
for refusal in ("wrong shape", "wrong dtype", "missing input", "wrong rank"):
    assert f"refused {refusal}" in result.stdout, result.stdout

expected = reference(model, {"image": x})
for index, name in enumerate(["probs", "logits"]):
    got = np.fromfile(os.path.join(out_dir, f"{index}.bin"), dtype=np.float32)
    np.testing.assert_allclose(got.reshape(expected[name].shape), expected[name],
                               atol=ATOL, rtol=RTOL, err_msg=name)
print("c program: ok")
