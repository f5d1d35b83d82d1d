# RUN: %sinter_python %s %sinter %t
# Indexing and selection ops end to end against onnxruntime (or ONNX's reference
# where onnxruntime lacks the op): the cases the conformance tests leave out --
# duplicates under every scatter reduction, ties in TopK and ArgMax, batch_dims,
# int32 indices, negative axes, old opsets, runtime Trilu and large EyeLike.
import os
import sys

import numpy as np
from onnx import helper

from sinter_testing import initializer, reference, run, single_graph_model, sinter_run_expect, value_info
from sinter_testing import onnx_reference as reference_outputs

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(11)


def check(tag, nodes, feeds, outputs, inits=(), opset=18, onnx_reference=False):
    model = single_graph_model(tag, nodes, feeds, outputs, opset=opset)
    model.graph.initializer.extend(inits)
    expected = (reference_outputs(model, feeds, outputs) if onnx_reference
                else reference(model, feeds))
    result = sinter_run_expect(sinter, model, feeds, expected, workdir, tag, 1e-5)
    if result.returncode != 0:
        sys.exit(f"FAIL: {tag}\n{result.stdout}{result.stderr}")
    print(f"{tag}: ok")


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


x34 = rng.standard_normal((3, 4)).astype(np.float32)
x345 = rng.standard_normal((3, 4, 5)).astype(np.float32)

# Gathers: negative indices, int32 indices (GatherElements), an index tensor
# smaller than data.
check("gather_elements",
      [node("GatherElements", ["x", "i"], ["y"], axis=-1)],
      {"x": x345, "i": rng.integers(-5, 5, (3, 2, 3)).astype(np.int32)}, ["y"])
check("gathernd_batch",
      [node("GatherND", ["x", "i"], ["y"], batch_dims=1)],
      {"x": x345, "i": rng.integers(-4, 4, (3, 2, 1)).astype(np.int64)}, ["y"])
check("gathernd_full",
      [node("GatherND", ["x", "i"], ["y"])],
      {"x": x345, "i": np.array([[[0, -1, 4], [2, 3, -5]]], np.int64)}, ["y"])

# Scatters: duplicate indices under every reduction, on floats and integers.
dup = np.array([[0, 2, 0, 2], [2, 0, 0, 1]], np.int64)
for reduction in ["none", "add", "mul", "max", "min"]:
    if reduction != "none":  # duplicates have no defined result without one
        check(f"scatter_elements_{reduction}",
              [node("ScatterElements", ["x", "i", "u"], ["y"], axis=0,
                    reduction=reduction)],
              {"x": x34, "i": dup, "u": rng.standard_normal((2, 4)).astype(np.float32)},
              ["y"])
    check(f"scatternd_{reduction}",
          [node("ScatterND", ["x", "i", "u"], ["y"], reduction=reduction)],
          {"x": x345, "i": np.array([[1], [-1]] if reduction == "none" else [[1], [1]],
                                    np.int64),
           "u": rng.standard_normal((2, 4, 5)).astype(np.float32)}, ["y"])
check("scatter_elements_int",
      [node("ScatterElements", ["x", "i", "u"], ["y"], axis=-1, reduction="add")],
      {"x": np.arange(12, dtype=np.int32).reshape(3, 4),
       "i": np.array([[3, -1], [0, 0], [1, 2]], np.int64),
       "u": np.array([[1, 2], [3, 4], [5, 6]], np.int32)}, ["y"])
check("scatternd_elements",
      [node("ScatterND", ["x", "i", "u"], ["y"])],
      {"x": x345, "i": np.array([[0, 1, 2], [2, -1, -1]], np.int64),
       "u": np.float32([10, 20])}, ["y"])
check("scatter_opset10",
      [node("Scatter", ["x", "i", "u"], ["y"], axis=1)],
      {"x": x34, "i": np.array([[3, 1], [0, 2], [1, 0]], np.int64),
       "u": rng.standard_normal((3, 2)).astype(np.float32)}, ["y"], opset=10)

# TensorScatter into a [batch, heads, length, dim] cache, linear and wrapping.
cache = rng.standard_normal((2, 3, 6, 4)).astype(np.float32)
new = rng.standard_normal((2, 3, 3, 4)).astype(np.float32)
for mode, write in [("linear", [0, 3]), ("circular", [5, 2])]:
    check(f"tensorscatter_{mode}",
          [node("TensorScatter", ["cache", "new", "write"], ["y"], mode=mode)],
          {"cache": cache, "new": new, "write": np.array(write, np.int64)}, ["y"],
          opset=24, onnx_reference=True)

# Arg-extrema with ties, -inf and integers.
ties = np.array([[1, 3, 3, -np.inf], [-np.inf, -np.inf, 0, 0], [2, 2, 2, 2]], np.float32)
for op in ["ArgMax", "ArgMin"]:
    for last in [0, 1]:
        check(f"{op}_last{last}",
              [node(op, ["x"], ["y"], axis=-1, keepdims=0, select_last_index=last),
               node(op, ["x"], ["z"], axis=0, keepdims=1, select_last_index=last)],
              {"x": ties}, ["y", "z"])
check("argmax_int",
      [node("ArgMax", ["x"], ["y"], axis=1)],
      {"x": rng.integers(-3, 3, (2, 6, 3)).astype(np.int32)}, ["y"])

# TopK: ties keep the lower index first, on any axis, largest or smallest.
tied = rng.integers(0, 3, (2, 7, 3)).astype(np.float32)
for largest in [0, 1]:
    check(f"topk_largest{largest}",
          [node("TopK", ["x", "k"], ["v", "i"], axis=1, largest=largest)],
          {"x": tied}, ["v", "i"], [initializer("k", np.array([4], np.int64))], opset=11)
check("topk_all_int",
      [node("TopK", ["x", "k"], ["v", "i"])],
      {"x": rng.integers(-2, 2, (3, 5)).astype(np.int64)}, ["v", "i"],
      [initializer("k", np.array([5], np.int64))], opset=11)
check("topk_opset1",
      [node("TopK", ["x"], ["v", "i"], k=2)], {"x": x34}, ["v", "i"], opset=9)

# Unsigned 64-bit elements order as unsigned (onnxruntime lacks some of these
# kernels; ONNX's reference has them all).
u64 = np.array([[1, 2**63 + 5, 7, 2**63 + 5], [0, 3, 3, 2**64 - 1]], np.uint64)
check("unsigned",
      [node("TopK", ["x", "k"], ["v", "i"], axis=1),
       node("ArgMax", ["x"], ["a"], axis=1, select_last_index=1),
       node("CumSum", ["x", "axis"], ["c"]),
       node("ScatterElements", ["x", "si", "su"], ["s"], axis=1, reduction="max")],
      {"x": u64}, ["v", "i", "a", "c", "s"],
      [initializer("k", np.array([3], np.int64)), initializer("axis", np.array(1, np.int64)),
       initializer("si", np.array([[0], [1]], np.int64)),
       initializer("su", np.array([[2**64 - 2], [1]], np.uint64))], onnx_reference=True)

# Scans along an inner axis, every exclusive/reverse combination.
for exclusive in [0, 1]:
    for reverse in [0, 1]:
        check(f"cumsum_{exclusive}{reverse}",
              [node("CumSum", ["x", "axis"], ["y"], exclusive=exclusive, reverse=reverse)],
              {"x": x345}, ["y"], [initializer("axis", np.array(-2, np.int32))], opset=14)
check("cumsum_int",
      [node("CumSum", ["x", "axis"], ["y"], reverse=1)],
      {"x": rng.integers(-9, 9, (4, 3)).astype(np.int64)}, ["y"],
      [initializer("axis", np.array([0], np.int64))], opset=14)
check("cumprod",
      [node("CumProd", ["x", "axis"], ["y"], exclusive=1, reverse=1)],
      {"x": x345}, ["y"], [initializer("axis", np.array(2, np.int64))], opset=26,
      onnx_reference=True)

# Hardmax before opset 13 treats the input as a matrix split at `axis`.
check("hardmax_coerced", [node("Hardmax", ["x"], ["y"], axis=1)],
      {"x": np.round(x345)}, ["y"], opset=11)
check("hardmax_axis", [node("Hardmax", ["x"], ["y"], axis=1)],
      {"x": np.round(x345)}, ["y"], opset=13)

# OneHot with float indices and depth, and integer values, against ONNX's
# reference (onnxruntime has no kernel for these types); the indices are whole
# because the reference compares them without the cast to int64 the spec asks.
check("onehot_float",
      [node("OneHot", ["i", "depth", "values"], ["y"], axis=0)],
      {"i": np.float32([[0, 2, -1], [5, -4, 1]])}, ["y"],
      [initializer("depth", np.array(4.0, np.float32)),
       initializer("values", np.array([-1, 7], np.int64))], opset=11, onnx_reference=True)

# Trilu of a runtime tensor, batched, non-square, with k beyond the matrix.
for upper in [0, 1]:
    for k in [-2, 0, 3, 100]:
        check(f"trilu_{upper}_{k}", [node("Trilu", ["x", "k"], ["y"], upper=upper)],
              {"x": x345}, ["y"], [initializer("k", np.array(k, np.int64))], opset=14)

# EyeLike small (a constant) and large (built at run time).
check("eyelike_small", [node("EyeLike", ["x"], ["e"], k=-1, dtype=6),
                        node("Cast", ["e"], ["y"], to=1), node("Add", ["x", "y"], ["z"])],
      {"x": x34}, ["z"])
big = rng.standard_normal((70, 90)).astype(np.float32)
check("eyelike_large", [node("EyeLike", ["x"], ["e"], k=5), node("Add", ["x", "e"], ["y"])],
      {"x": big}, ["y"])

# ReverseSequence with lengths 0, partial and full, batch-major.
check("reversesequence",
      [node("ReverseSequence", ["x", "lens"], ["y"], batch_axis=0, time_axis=1)],
      {"x": x345, "lens": np.array([0, 3, 4], np.int64)}, ["y"])

# Compress, NonZero and Unique of compile-time conditions and inputs.
check("compress",
      [node("Compress", ["x", "c"], ["y"]),
       node("Compress", ["x", "c2"], ["z"], axis=-1)],
      {"x": x34}, ["y", "z"],
      [initializer("c", np.array([0, 1, 1, 0, 0, 1], bool)),
       initializer("c2", np.array([1, 0, 1], bool))])
check("nonzero_unique",
      [node("NonZero", ["c"], ["nz"]),
       node("Unique", ["u"], ["uy", "ui", "uinv", "ucount"], sorted=0),
       node("Unique", ["u2"], ["vy", "vi", "vinv", "vcount"], axis=1)],
      {}, ["nz", "uy", "ui", "uinv", "ucount", "vy", "vi", "vinv", "vcount"],
      [initializer("c", np.array([[0, 1, 0], [2, 0, 3]], np.int32)),
       initializer("u", np.array([3, 1, 3, 2, 1], np.float32)),
       initializer("u2", np.array([[1, 0, 1, 0], [2, 1, 2, 1]], np.int64))])
