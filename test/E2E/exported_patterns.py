# RUN: %sinter_python %s %sinter %t
# Graph patterns as PyTorch's exporter writes them: Constant nodes, Shape -> Gather ->
# Unsqueeze -> Concat -> Reshape chains, erf-based GELU, Div by a square root, Identity,
# Dropout and Cast; checked against onnxruntime.
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(21)
B, S, D, H = 2, 8, 16, 2


def const(name, value, dtype=np.int64):
    array = np.asarray(value, dtype)
    return helper.make_node("Constant", [], [name], name=f"const_{name}",
                            value=helper.make_tensor(name, helper.np_dtype_to_tensor_dtype(array.dtype),
                                                     array.shape, array.flatten().tolist()))


def exported(opset):
    w = (rng.standard_normal((D, 4 * D)) * 0.2).astype(np.float32)
    w2 = (rng.standard_normal((4 * D, D)) * 0.2).astype(np.float32)
    unsqueeze_axes = {"axes": [0]} if opset < 13 else {}
    nodes = [
        helper.make_node("Identity", ["x"], ["xi"], name="identity"),
        helper.make_node("Shape", ["xi"], ["shape"], name="shape"),
        const("zero", 0), const("one", 1),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], name="gather_batch", axis=0),
        helper.make_node("Gather", ["shape", "one"], ["seq"], name="gather_seq", axis=0),
    ]
    if opset >= 13:
        nodes += [const("axes0", [0]),
                  helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsq_b"),
                  helper.make_node("Unsqueeze", ["seq", "axes0"], ["seq1"], name="unsq_s")]
    else:
        nodes += [helper.make_node("Unsqueeze", ["batch"], ["batch1"], name="unsq_b", axes=[0]),
                  helper.make_node("Unsqueeze", ["seq"], ["seq1"], name="unsq_s", axes=[0])]
    nodes += [
        const("heads", [H]), const("minus1", [-1]),
        helper.make_node("Concat", ["batch1", "seq1", "heads", "minus1"], ["split_shape"],
                         name="concat_shape", axis=0),
        helper.make_node("Reshape", ["xi", "split_shape"], ["xs"], name="reshape_heads"),
        helper.make_node("Transpose", ["xs"], ["xt"], name="to_heads", perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["xt"], ["xb"], name="from_heads", perm=[0, 2, 1, 3]),
        helper.make_node("Concat", ["batch1", "seq1", "minus1"], ["merge_shape"],
                         name="concat_merge", axis=0),
        helper.make_node("Reshape", ["xb", "merge_shape"], ["xm"], name="reshape_merge"),
        helper.make_node("MatMul", ["xm", "w"], ["h"], name="fc1"),
        # GELU the way the exporter decomposes it: x * 0.5 * (1 + erf(x / sqrt(2))).
        const("sqrt2", 1.4142135623730951, np.float32),
        helper.make_node("Div", ["h", "sqrt2"], ["hd"], name="gelu_div"),
        helper.make_node("Erf", ["hd"], ["he"], name="gelu_erf"),
        const("onef", 1.0, np.float32),
        helper.make_node("Add", ["he", "onef"], ["hp"], name="gelu_add"),
        helper.make_node("Mul", ["h", "hp"], ["hm"], name="gelu_mul"),
        const("half", 0.5, np.float32),
        helper.make_node("Mul", ["hm", "half"], ["g"], name="gelu_half"),
        helper.make_node("Dropout", ["g"], ["gd"], name="dropout"),
        helper.make_node("MatMul", ["gd", "w2"], ["o"], name="fc2"),
        helper.make_node("Add", ["o", "xi"], ["y"], name="residual"),
        # A float output cast to int64 and back, and Sqrt of a positive value.
        helper.make_node("Cast", ["shape"], ["shape_f"], name="cast_shape", to=TensorProto.FLOAT),
        helper.make_node("Sqrt", ["shape_f"], ["shape_root"], name="sqrt_shape"),
    ]
    return make_model(nodes, [value_info("x", [B, S, D])],
                      [value_info("y", [B, S, D]), value_info("shape_root", [3])],
                      [initializer("w", w), initializer("w2", w2)], opset=opset)


for opset in (11, 13, 14, 17):
    x = rng.standard_normal((B, S, D)).astype(np.float32)
    check_sinter_run(sinter, exported(opset), {"x": x}, workdir, f"exported_opset{opset}")
