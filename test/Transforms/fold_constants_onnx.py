# RUN: %sinter_python %s %sinter %t
# sinter-fold-constants against onnxruntime: every operand is a constant too
# large for the importer's own folding (over 4096 elements), so the graph
# pass computes each result at compile time, for many ops and element types.
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from sinter_testing import check_sinter_run, make_model, reference, run, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(3)
SHAPE = (70, 80)


def data(dtype, shape=SHAPE, low=-4, high=4):
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(dtype)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(max(low * 8, info.min), min(high * 8, info.max) + 1,
                            shape).astype(dtype)
    return rng.uniform(low, high, shape).astype(dtype)


def constant(name, array):
    return helper.make_node("Constant", [], [name],
                            value=numpy_helper.from_array(np.asarray(array), name))


cases = 0


def case(tag, consts, nodes, out_dtype, opset=17, tol=1e-4):
    """Checks output "y" of `nodes` on constant inputs against onnxruntime."""
    global cases
    graph_nodes = [constant(n, a) for n, a in consts.items()] + nodes
    # onnxruntime gives the output's shape, which the checked model declares.
    unchecked = helper.make_model(
        helper.make_graph(graph_nodes, tag, [], [value_info("y", None, out_dtype)]),
        opset_imports=[helper.make_opsetid("", opset)])
    unchecked.ir_version = 8
    try:
        shape = reference(unchecked, {})["y"].shape
    except Exception as error:  # onnxruntime has no kernel for this type
        print(f"{tag}: skipped ({str(error).splitlines()[0][:80]})")
        return
    model = make_model(graph_nodes, [], [value_info("y", list(shape), out_dtype)],
                       opset=opset)
    path, _ = check_sinter_run(sinter, model, {}, workdir, tag, atol=tol, rtol=tol)
    text = run([sinter, "compile", path, "--emit=sinter"]).stdout
    ops = [line.split("=")[1].split()[0] for line in text.splitlines() if " = sinter." in line]
    assert set(ops) <= {"sinter.constant"}, f"{tag}: not folded: {ops}"
    cases += 1


def node(op, inputs, **attrs):
    return helper.make_node(op, inputs, ["y"], **attrs)


for dtype in (np.float32, np.float64, np.float16, np.int32, np.int64, np.int8, np.uint8):
    name = np.dtype(dtype).name
    tol = 2e-3 if dtype == np.float16 else 1e-4
    a, b = data(dtype), data(dtype, (80,))
    if np.issubdtype(dtype, np.integer):
        b[b == 0] = 3  # integer division by zero is undefined
    for op in ("Add", "Sub", "Mul", "Div", "Max", "Min"):
        case(f"{op}_{name}", {"a": a, "b": b}, [node(op, ["a", "b"])], dtype, tol=tol)
    for op, predicate in (("Equal", "eq"), ("Less", "lt"), ("GreaterOrEqual", "ge")):
        case(f"{op}_{name}", {"a": a, "b": b}, [node(op, ["a", "b"])], np.bool_)
    case(f"Where_{name}", {"c": data(np.bool_, (70, 1)), "a": a, "b": b},
         [node("Where", ["c", "a", "b"])], dtype, tol=tol)
    case(f"Transpose_{name}", {"a": a}, [node("Transpose", ["a"], perm=[1, 0])], dtype)
    case(f"Slice_{name}", {"a": a, "s": np.array([60, 1]), "e": np.array([-100, 70]),
                           "x": np.array([0, 1]), "t": np.array([-3, 2])},
         [node("Slice", ["a", "s", "e", "x", "t"])], dtype)
    case(f"Gather_{name}", {"a": a, "i": rng.integers(-80, 80, (10, 70))},
         [node("Gather", ["a", "i"], axis=1)], dtype)
    case(f"Concat_{name}", {"a": a, "b": data(dtype, (70, 3))},
         [node("Concat", ["a", "b"], axis=-1)], dtype)
    for to in (TensorProto.FLOAT, TensorProto.DOUBLE, TensorProto.FLOAT16, TensorProto.INT32,
               TensorProto.INT64, TensorProto.INT8, TensorProto.UINT8, TensorProto.BOOL):
        # Float to integer casts are only defined in range.
        src = data(dtype, low=0, high=4) if to == TensorProto.UINT8 else a
        to_dtype = helper.tensor_dtype_to_np_dtype(to)
        case(f"Cast_{name}_to_{np.dtype(to_dtype).name}", {"a": src},
             [node("Cast", ["a"], to=to)], to_dtype,
             tol=2e-3 if to == TensorProto.FLOAT16 else tol)
    for op in ("ReduceSum", "ReduceMax", "ReduceMean"):
        if np.issubdtype(dtype, np.integer) and dtype not in (np.int32, np.int64):
            continue
        case(f"{op}_{name}", {"a": a, "axes": np.array([0])},
             [node(op, ["a", "axes"], keepdims=0)], dtype, opset=18, tol=max(tol, 1e-3))

for dtype in (np.float32, np.float64, np.float16):
    name = np.dtype(dtype).name
    tol = 2e-3 if dtype == np.float16 else 1e-4
    a = data(dtype)
    pos = data(dtype, low=0.1, high=4)
    for op in ("Relu", "Sigmoid", "Tanh", "Exp", "Neg", "Abs", "Erf"):
        case(f"{op}_{name}", {"a": a}, [node(op, ["a"])], dtype, tol=tol)
    for op in ("Log", "Sqrt", "Reciprocal"):
        case(f"{op}_{name}", {"a": pos}, [node(op, ["a"])], dtype, tol=tol)
    case(f"Pow_{name}", {"a": pos, "b": data(dtype, (80,), low=-2, high=2)},
         [node("Pow", ["a", "b"])], dtype, tol=tol)
    case(f"LeakyRelu_{name}", {"a": a}, [node("LeakyRelu", ["a"], alpha=0.1)], dtype,
         tol=tol)
    for approximate in ("none", "tanh"):
        case(f"Gelu_{approximate}_{name}", {"a": a},
             [node("Gelu", ["a"], approximate=approximate)], dtype, opset=20, tol=tol)

print(f"{cases} folded cases match onnxruntime")
