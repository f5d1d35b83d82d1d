# RUN: %sinter_python %s %sinter %t
# The graph passes end to end: models whose BatchNorms, per-channel scales,
# weight transposes/casts/dequantization and shape arithmetic fold at compile
# time must still match onnxruntime within 1e-4, and the folded ops must be
# gone from --emit=sinter.
import os
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import check_sinter_run, initializer, make_model, run, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)


def normal(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def positive(*shape):
    return rng.uniform(0.5, 2.0, shape).astype(np.float32)


def emitted(path):
    return run([sinter, "compile", path, "--emit=sinter"]).stdout


def check(model, feeds, tag, absent=(), present=()):
    path, _ = check_sinter_run(sinter, model, feeds, workdir, tag)
    text = emitted(path)
    for op in absent:
        assert f"sinter.{op} " not in text, f"{tag}: sinter.{op} was not folded:\n{text}"
    for op in present:
        assert f"sinter.{op} " in text, f"{tag}: expected sinter.{op}:\n{text}"


def batchnorm_params(prefix, channels):
    return [initializer(f"{prefix}_scale", positive(channels)),
            initializer(f"{prefix}_bias", normal(channels)),
            initializer(f"{prefix}_mean", normal(channels)),
            initializer(f"{prefix}_var", positive(channels))]


def bn_inputs(prefix):
    return [f"{prefix}_{p}" for p in ("scale", "bias", "mean", "var")]


# Conv (+bias) -> BN, depthwise Conv (no bias) -> BN, at BatchNormalization's
# old and new opsets.
for opset in (7, 9, 15):
    inits = [initializer("w1", normal(8, 3, 3, 3)), initializer("b1", normal(8)),
             initializer("w2", normal(8, 1, 3, 3))]
    inits += batchnorm_params("bn1", 8) + batchnorm_params("bn2", 8)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1"] + bn_inputs("bn1"), ["n1"],
                         epsilon=1e-3),
        helper.make_node("Relu", ["n1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], group=8, strides=[2, 2]),
        helper.make_node("BatchNormalization", ["c2"] + bn_inputs("bn2"), ["y"]),
    ]
    model = make_model(nodes, [value_info("x", [2, 3, 9, 9])], [value_info("y", [2, 8, 4, 4])],
                       inits, opset=opset)
    check(model, {"x": normal(2, 3, 9, 9, scale=1.0)}, f"conv_bn_opset{opset}",
          absent=["batch_norm"], present=["conv"])

# A BatchNorm an exporter decomposed: Conv -> Mul -> Add, then Sub and Div by
# scalars.
inits = [initializer("w", normal(4, 2, 1, 1)), initializer("b", normal(4)),
         initializer("k", positive(4, 1, 1)), initializer("t", normal(1, 4, 1, 1)),
         initializer("s", np.array([0.25], np.float32)),
         initializer("d", np.array(3.0, np.float32))]
nodes = [
    helper.make_node("Conv", ["x", "w", "b"], ["c"]),
    helper.make_node("Mul", ["k", "c"], ["m"]),
    helper.make_node("Add", ["m", "t"], ["a"]),
    helper.make_node("Sub", ["a", "s"], ["u"]),
    helper.make_node("Div", ["u", "d"], ["y"]),
]
model = make_model(nodes, [value_info("x", [1, 2, 5, 5])], [value_info("y", [1, 4, 5, 5])], inits)
check(model, {"x": normal(1, 2, 5, 5, scale=1.0)}, "conv_mul_add",
      absent=["mul", "add", "sub", "div"], present=["conv"])

# Gemm (transB, alpha, beta, C) -> BatchNorm on [M, N]; MatMul -> Mul -> Div.
inits = [initializer("w", normal(6, 5)), initializer("c", normal(6)),
         initializer("w2", normal(6, 3)), initializer("k", positive(3)),
         initializer("two", np.array(2.0, np.float32))]
inits += batchnorm_params("bn", 6)
nodes = [
    helper.make_node("Gemm", ["x", "w", "c"], ["g"], transB=1, alpha=0.5, beta=2.0),
    helper.make_node("BatchNormalization", ["g"] + bn_inputs("bn"), ["n"]),
    helper.make_node("MatMul", ["n", "w2"], ["p"]),
    helper.make_node("Mul", ["p", "k"], ["q"]),
    helper.make_node("Div", ["q", "two"], ["y"]),
]
model = make_model(nodes, [value_info("x", [4, 5])], [value_info("y", [4, 3])], inits)
check(model, {"x": normal(4, 5, scale=1.0)}, "gemm_bn",
      absent=["batch_norm", "transpose", "mul", "div"], present=["matmul"])

# Weight preprocessing: a per-axis DequantizeLinear of int8 weights feeding a
# Conv, a Transpose and an f16 -> f32 Cast feeding MatMuls.
wq = rng.integers(-128, 127, (4, 3, 3, 3)).astype(np.int8)
inits = [initializer("wq", wq), initializer("wscale", positive(4) * 0.01),
         initializer("wzero", rng.integers(-3, 3, 4).astype(np.int8)),
         initializer("wt", normal(5, 8)),
         initializer("wh", normal(5, 5).astype(np.float16))]
nodes = [
    helper.make_node("DequantizeLinear", ["wq", "wscale", "wzero"], ["w"], axis=0),
    helper.make_node("Conv", ["x", "w"], ["c"]),
    helper.make_node("Flatten", ["c"], ["f"]),
    helper.make_node("Transpose", ["wt"], ["wtt"], perm=[1, 0]),
    helper.make_node("MatMul", ["f", "wtt"], ["h"]),
    helper.make_node("Cast", ["wh"], ["whf"], to=TensorProto.FLOAT),
    helper.make_node("MatMul", ["h", "whf"], ["y"]),
]
model = make_model(nodes, [value_info("x", [2, 3, 4, 3])], [value_info("y", [2, 5])], inits,
                   opset=13)
check(model, {"x": normal(2, 3, 4, 3, scale=1.0)}, "weight_preprocessing",
      absent=["cast", "sub", "transpose"], present=["conv", "matmul"])

# Exporter shape arithmetic (Shape -> Gather -> Unsqueeze -> Concat ->
# Reshape), unit-dimension transposes and no-op arithmetic.
inits = [initializer("zero", np.zeros(3, np.float32)),
         initializer("one", np.array(1.0, np.float32)),
         initializer("idx", np.array(0, np.int64)),
         initializer("axes", np.array([0], np.int64)),
         initializer("rest", np.array([-1], np.int64))]
nodes = [
    helper.make_node("Shape", ["x"], ["shape"]),
    helper.make_node("Gather", ["shape", "idx"], ["batch"], axis=0),
    helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"]),
    helper.make_node("Concat", ["batch1", "rest"], ["target"], axis=0),
    helper.make_node("Reshape", ["x", "target"], ["flat"]),
    helper.make_node("Transpose", ["x"], ["xt"], perm=[0, 2, 3, 1]),
    helper.make_node("Sub", ["xt", "zero"], ["s"]),
    helper.make_node("Div", ["s", "one"], ["d"]),
    helper.make_node("Neg", ["d"], ["n1"]),
    helper.make_node("Neg", ["n1"], ["y"]),
]
model = make_model(nodes, [value_info("x", [2, 3, 1, 1])],
                   [value_info("flat", [2, 3]), value_info("y", [2, 1, 1, 3])], inits)
check(model, {"x": normal(2, 3, 1, 1, scale=1.0)}, "shapes_and_noops",
      absent=["gather", "concat", "transpose", "sub", "div", "neg"])
print("graph passes: ok")
