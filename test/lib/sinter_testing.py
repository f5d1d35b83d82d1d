"""Helpers for Sinter's end-to-end tests: build ONNX models, get references from
onnxruntime, and check `sinter run` and compiled C programs against them."""
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ATOL = 1e-4
RTOL = 1e-4


def tensor_type(dtype):
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def value_info(name, shape, dtype=np.float32):
    return helper.make_tensor_value_info(name, tensor_type(dtype), shape)


def initializer(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def make_model(nodes, inputs, outputs, initializers=(), opset=17, name="model"):
    graph = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                              list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="sinter-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def reference(model, feeds):
    """Runs `model` in onnxruntime (CPU, no graph rewrites that change numerics)."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


def run(cmd, check=True):
    """Runs a command; a signal or unexpected status fails the test loudly."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode < 0:
        sys.exit(f"FAIL: {cmd[0]} died of signal {-result.returncode}\n{result.stderr}")
    if check and result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {result.returncode}\n"
                 f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def check_sinter_run(sinter, model, feeds, workdir, tag, atol=ATOL, rtol=RTOL):
    """Saves `model` and its inputs, runs `sinter run --expect` against
    onnxruntime and also compares the written outputs with numpy."""
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, f"{tag}.onnx")
    onnx.save(model, path)
    expected = reference(model, feeds)
    cmd = [sinter, "run", path, "--atol", str(atol), "--rtol", str(rtol),
           "--output-dir", os.path.join(workdir, f"{tag}.out")]
    for name, value in feeds.items():
        file = os.path.join(workdir, f"{tag}.in.{name}.npy")
        np.save(file, value)
        cmd += ["--input", f"{name}={file}"]
    for name, value in expected.items():
        file = os.path.join(workdir, f"{tag}.expect.{name}.npy")
        np.save(file, value)
        cmd += ["--expect", f"{name}={file}"]
    result = run(cmd)
    for name, value in expected.items():
        got = np.load(os.path.join(workdir, f"{tag}.out", f"{name}.npy"))
        assert got.shape == value.shape, (tag, name, got.shape, value.shape)
        np.testing.assert_allclose(got, value, atol=atol, rtol=rtol,
                                   err_msg=f"{tag}: output {name}")
    print(f"{tag}: ok\n{result.stdout.strip()}")
    return path, expected


def single_graph_model(tag, nodes, feeds, outputs, initializers=(), opset=18):
    """A model over inputs shaped like `feeds` whose outputs' types are left for
    inference, as the op tests build them; not checked, so that tests can
    feed cases the checker's shape inference rejects but the spec allows."""
    inputs = [value_info(name, value.shape, value.dtype) for name, value in feeds.items()]
    outs = [helper.make_empty_tensor_value_info(name) for name in outputs]
    graph = helper.make_graph(list(nodes), tag, inputs, outs,
                              [initializer(n, v) for n, v in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 10 if opset >= 21 else 8
    return model


def onnx_reference(model, feeds, outputs):
    """ONNX's own reference implementation, for ops or cases onnxruntime lacks."""
    from onnx.reference import ReferenceEvaluator
    return dict(zip(outputs, ReferenceEvaluator(model).run(None, feeds)))


def sinter_run_expect(sinter, model, feeds, expected, workdir, tag, tol):
    """Saves `model`, its inputs and the expected outputs, and runs
    `sinter run --expect` with atol = rtol = `tol`; returns the process."""
    path = os.path.join(workdir, f"{tag}.onnx")
    onnx.save(model, path)
    cmd = [sinter, "run", path, "--atol", str(tol), "--rtol", str(tol)]
    for kind, flag, values in (("in", "--input", feeds), ("expect", "--expect", expected)):
        for name, value in values.items():
            file = os.path.join(workdir, f"{tag}.{kind}.{name}.npy")
            np.save(file, np.asarray(value))
            cmd += [flag, f"{name}={file}"]
    return run(cmd, check=False)
