# RUN: %sinter_python %s %sinter %t
# ReduceProd/ReduceMin, MaxPool's Indices and integer inputs, Einsum diagonals,
# BatchNormalization training, BitCast and SwiGLU end to end against ONNX's
# reference (onnxruntime for MaxPool, where the reference mishandles some
# paddings): the cases the conformance tests leave out -- integer and f16
# reductions, Indices with padding, dilations, ceil_mode, 1-D and 3-D windows
# and -inf inputs, traces and diagonals between two operands, 4-D training
# statistics, bitcasts of every width.
import os
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import onnx_reference, reference, single_graph_model, sinter_run_expect

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(11)
failures = []


def check(tag, nodes, feeds, outputs, opset=20, tol=1e-4, ort=False):
    model = single_graph_model(tag, nodes, feeds, outputs, (), opset)
    model.ir_version = 10 if opset >= 21 else 9
    expected = (reference(model, feeds) if ort
                else onnx_reference(model, feeds, outputs))
    expected = {k: np.ascontiguousarray(v) for k, v in expected.items()}
    result = sinter_run_expect(sinter, model, feeds, expected, workdir, tag, tol)
    if result.returncode != 0:
        failures.append(f"{tag}: {result.stderr.strip()}")
    print(f"{tag}: {'ok' if result.returncode == 0 else 'FAILED'}")


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


def floats(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def ints(dtype, *shape, low=-5, high=6):
    return rng.integers(low, high, shape).astype(dtype)


# Reductions on every element type the ops take.
for dtype in [np.float32, np.float16, np.int32, np.int64]:
    x = (rng.uniform(0.5, 1.5, (3, 4, 5)) if dtype in (np.float32, np.float16)
         else rng.integers(-3, 4, (3, 4, 5))).astype(dtype)
    name = np.dtype(dtype).name
    check(f"reduce_prod_{name}", [node("ReduceProd", ["x", "a"], ["y"], keepdims=0)],
          {"x": x, "a": np.array([0, -1], np.int64)}, ["y"], opset=18, tol=1e-2)
    check(f"reduce_min_{name}", [node("ReduceMin", ["x"], ["y"], axes=[1])],
          {"x": x}, ["y"], opset=13)
check("reduce_min_bool_axis", [node("ReduceMin", ["x", "a"], ["y"], keepdims=0)],
      {"x": rng.integers(0, 2, (4, 3)).astype(bool), "a": np.array([1], np.int64)},
      ["y"], opset=20)
check("reduce_max_bool", [node("ReduceMax", ["x"], ["y"])],
      {"x": rng.integers(0, 2, (4, 3)).astype(bool)}, ["y"], opset=20)

# MaxPool with Indices.
image = floats(2, 3, 6, 7)
image[0, 0, :3, :3] = -np.inf
for tag, attrs in [
        ("pads", dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1])),
        ("strides_col", dict(kernel_shape=[2, 3], strides=[2, 2], storage_order=1)),
        ("dilated_ceil", dict(kernel_shape=[2, 2], dilations=[2, 2], strides=[2, 2],
                              ceil_mode=1)),
        ("same", dict(kernel_shape=[3, 2], strides=[2, 3], auto_pad="SAME_UPPER"))]:
    check(f"maxpool_indices_{tag}", [node("MaxPool", ["x"], ["y", "i"], **attrs)],
          {"x": image}, ["y", "i"], opset=12, ort=True)
check("maxpool_indices_1d", [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[3], pads=[1, 1])],
      {"x": floats(2, 3, 9)}, ["y", "i"], opset=12, ort=True)
for order in [0, 1]:
    check(f"maxpool_indices_3d_{order}",
          [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2, 2], strides=[2, 1, 2],
                storage_order=order)],
          {"x": floats(1, 2, 4, 5, 6)}, ["y", "i"], opset=12, ort=True)
for dtype in [np.int8, np.uint8]:
    x = ints(dtype, 1, 2, 5, 5, low=0 if dtype == np.uint8 else -128,
             high=256 if dtype == np.uint8 else 128)
    check(f"maxpool_{np.dtype(dtype).name}",
          [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2], pads=[1, 1, 0, 0])],
          {"x": x}, ["y", "i"], opset=12, ort=True)

# Einsum diagonals.
check("einsum_trace", [node("Einsum", ["x"], ["y"], equation="bii->b")],
      {"x": floats(2, 4, 4)}, ["y"], opset=12)
check("einsum_diag_middle", [node("Einsum", ["x"], ["y"], equation="ibi->bi")],
      {"x": floats(3, 2, 3)}, ["y"], opset=12)
check("einsum_triple", [node("Einsum", ["x"], ["y"], equation="iii->i")],
      {"x": floats(3, 3, 3)}, ["y"], opset=12)
check("einsum_diag_matmul", [node("Einsum", ["a", "b"], ["y"], equation="ij,jkk->ik")],
      {"a": floats(2, 3), "b": floats(3, 4, 4)}, ["y"], opset=12)

# BatchNormalization in training mode.
check("batchnorm_training_4d",
      [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "rm", "rv"],
            training_mode=1, momentum=0.7, epsilon=1e-3)],
      {"x": floats(3, 4, 5, 2), "s": floats(4), "b": floats(4), "m": floats(4),
       "v": rng.uniform(0.5, 2, 4).astype(np.float32)}, ["y", "rm", "rv"], opset=15)

# BitCast and SwiGLU.
for tag, x, to in [("f16_i16", floats(3, 4).astype(np.float16), TensorProto.INT16),
                   ("i64_u64", ints(np.int64, 5), TensorProto.UINT64),
                   ("u8_bool", ints(np.uint8, 6, low=0, high=2), TensorProto.BOOL),
                   ("f64_u64", floats(2, 2).astype(np.float64), TensorProto.UINT64)]:
    check(f"bitcast_{tag}", [node("BitCast", ["x"], ["y"], to=to)], {"x": x}, ["y"],
          opset=26, tol=0)
check("swiglu_f64", [node("SwiGLU", ["a", "b"], ["y"], alpha=0.5)],
      {"a": floats(2, 3, 4).astype(np.float64), "b": floats(2, 3, 4).astype(np.float64)},
      ["y"], opset=28)

if failures:
    sys.exit("\n".join(failures))
