# RUN: %sinter_python %s %sinter %t
# An MLP (Gemm, Relu, MatMul, Add, Softmax) against onnxruntime at opsets 13 and 17.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)


def mlp(opset, batch):
    w1 = rng.standard_normal((64, 32)).astype(np.float32) * 0.2
    b1 = rng.standard_normal(64).astype(np.float32)
    w2 = rng.standard_normal((64, 48)).astype(np.float32) * 0.2
    b2 = rng.standard_normal(48).astype(np.float32)
    w3 = rng.standard_normal((48, 10)).astype(np.float32) * 0.2
    nodes = [
        # transB exercises Gemm's transposed weight, alpha/beta its scaling.
        helper.make_node("Gemm", ["x", "w1", "b1"], ["h1"], name="fc1", transB=1,
                         alpha=0.5, beta=2.0),
        helper.make_node("Relu", ["h1"], ["a1"], name="relu1"),
        helper.make_node("MatMul", ["a1", "w2"], ["h2"], name="fc2"),
        helper.make_node("Add", ["h2", "b2"], ["h2b"], name="bias2"),
        helper.make_node("Tanh", ["h2b"], ["a2"], name="tanh2"),
        helper.make_node("MatMul", ["a2", "w3"], ["logits"], name="fc3"),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=-1),
    ]
    model = make_model(nodes, [value_info("x", [batch, 32])],
                       [value_info("probs", [batch, 10]), value_info("logits", [batch, 10])],
                       [initializer("w1", w1), initializer("b1", b1), initializer("w2", w2),
                        initializer("b2", b2), initializer("w3", w3)], opset=opset)
    return model


for opset in (13, 17):
    for batch in (1, 4):
        x = rng.standard_normal((batch, 32)).astype(np.float32)
        check_sinter_run(sinter, mlp(opset, batch), {"x": x}, workdir,
                         f"mlp_opset{opset}_batch{batch}")

# The same model as a shared library from `sinter compile --emit=so`, run by `sinter run`.
import os

from sinter_testing import reference, run

model = mlp(15, 3)
x = rng.standard_normal((3, 32)).astype(np.float32)
path, expected = check_sinter_run(sinter, model, {"x": x}, workdir, "mlp_so_reference")
library = os.path.join(workdir, "libmlp.so")
run([sinter, "compile", path, "--emit=so", "-o", library])
np.save(os.path.join(workdir, "so_x.npy"), x)
np.save(os.path.join(workdir, "so_probs.npy"), expected["probs"])
result = run([sinter, "run", library, "--input", f"x={os.path.join(workdir, 'so_x.npy')}",
              "--expect", f"probs={os.path.join(workdir, 'so_probs.npy')}"])
assert "output 'probs'" in result.stdout and ": ok" in result.stdout, result.stdout
print("shared library: ok")
