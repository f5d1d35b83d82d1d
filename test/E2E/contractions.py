# RUN: %sinter_python %s %sinter %t
# Contractions around reshapes (Flatten into Gemm, projections split into heads,
# attention's batched products next to Softmax) reach the codegen as named
# linalg.matmul / linalg.batch_matmul, not as generics with reduction loops, and
# still match onnxruntime (atol = rtol = 1e-4) at -O0, -O2 and -O3.
import re
import sys

import numpy as np
from onnx import helper

from sinter_testing import ATOL, RTOL, check_sinter_run, initializer, make_model, run, \
    value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(11)


def weights(*shape):
    return (rng.standard_normal(shape) * 0.3).astype(np.float32)


def flatten_gemm():
    """The zoo MLP's first layer: Flatten, then Gemm with a transposed weight."""
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "w1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["a"], name="relu"),
        helper.make_node("Gemm", ["a", "w2", "b2"], ["y"], name="fc2", transB=1),
    ]
    inits = [initializer("w1", weights(24, 36)), initializer("b1", weights(24)),
             initializer("w2", weights(5, 24)), initializer("b2", weights(5))]
    model = make_model(nodes, [value_info("x", [2, 1, 6, 6])], [value_info("y", [2, 5])],
                       inits, name="flatten_gemm")
    return model, {"x": rng.standard_normal((2, 1, 6, 6)).astype(np.float32)}, (2, 0)


def attention(batch=1, seq=8, dim=16, heads=2):
    """Projections split into heads, Q.K^T, Softmax, times V, heads merged back."""
    dh = dim // heads
    shape = initializer("heads", np.array([batch, seq, heads, dh], np.int64))
    merged = initializer("merged", np.array([batch, seq, dim], np.int64))
    nodes = []
    inits = [shape, merged, initializer("scale", np.array(1 / np.sqrt(dh), np.float32))]
    for p in "qkv":
        inits += [initializer(f"w{p}", weights(dim, dim)), initializer(f"b{p}", weights(dim))]
        perm = [0, 2, 3, 1] if p == "k" else [0, 2, 1, 3]
        nodes += [
            helper.make_node("MatMul", ["x", f"w{p}"], [f"{p}0"], name=f"{p}_proj"),
            helper.make_node("Add", [f"{p}0", f"b{p}"], [f"{p}1"], name=f"{p}_bias"),
            helper.make_node("Reshape", [f"{p}1", "heads"], [f"{p}2"], name=f"{p}_split"),
            helper.make_node("Transpose", [f"{p}2"], [p], name=f"{p}_heads", perm=perm),
        ]
    inits += [initializer("wo", weights(dim, dim))]
    nodes += [
        helper.make_node("MatMul", ["q", "k"], ["s0"], name="scores"),
        helper.make_node("Mul", ["s0", "scale"], ["s"], name="scale_scores"),
        helper.make_node("Softmax", ["s"], ["p"], name="softmax", axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["o0"], name="context"),
        helper.make_node("Transpose", ["o0"], ["o1"], name="merge_heads", perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["o1", "merged"], ["o2"], name="merge"),
        helper.make_node("MatMul", ["o2", "wo"], ["y"], name="out_proj"),
    ]
    model = make_model(nodes, [value_info("x", [batch, seq, dim])],
                       [value_info("y", [batch, seq, dim])], inits, name="attention")
    x = rng.standard_normal((batch, seq, dim)).astype(np.float32)
    return model, {"x": x}, (4, 2)


def run_at(level, path, feeds, expected, tag):
    """`sinter run LEVEL --expect` on the files check_sinter_run saved."""
    cmd = [sinter, "run", path, level, "--atol", str(ATOL), "--rtol", str(RTOL)]
    for name in feeds:
        cmd += ["--input", f"{name}={workdir}/{tag}.in.{name}.npy"]
    for name in expected:
        cmd += ["--expect", f"{name}={workdir}/{tag}.expect.{name}.npy"]
    run(cmd)
    print(f"{tag} {level}: ok")


for make in (flatten_gemm, attention):
    model, feeds, (matmuls, batch_matmuls) = make()
    tag = make.__name__
    path, expected = check_sinter_run(sinter, model, feeds, workdir, tag)
    for level in ("-O0", "-O3"):
        run_at(level, path, feeds, expected, tag)
    linalg = run([sinter, "compile", path, "--emit=linalg", "-o", "-"]).stdout
    found = (len(re.findall(r"linalg\.matmul ", linalg)),
             len(re.findall(r"linalg\.batch_matmul ", linalg)))
    assert found == (matmuls, batch_matmuls), (tag, "named matmuls, batch matmuls", found)
    # No contraction is left as a generic: every generic with a reduction loop
    # reduces one operand (Softmax's max and sum), none multiplies two.
    for generic in re.findall(r"linalg\.generic \{[^}]*reduction[^}]*\}.*?linalg\.yield",
                              linalg, re.S):
        assert "arith.mulf" not in generic, (tag, "contraction left as a generic", generic)
    print(f"{tag}: {matmuls} linalg.matmul, {batch_matmuls} linalg.batch_matmul")
