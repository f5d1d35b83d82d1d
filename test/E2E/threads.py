# RUN: %sinter_python %s %sinter %t
# A model whose GEMMs, convolutions and elementwise ops become parallel loops gives
# onnxruntime's answer (rtol 1e-4) with 1, 2 and 4 threads, and the same bits with
# each: a chunk of a loop is computed exactly as the whole loop would be. -O0 keeps
# every loop on the caller.
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import initializer, make_model, reference, run, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(7)


def weights(*shape, scale=0.2):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


nodes = [
    helper.make_node("Conv", ["x", "c1_w", "c1_b"], ["c1"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu"),
    helper.make_node("Conv", ["r1", "dw_w"], ["d1"], name="depthwise", group=16,
                     pads=[1, 1, 1, 1]),
    helper.make_node("Sigmoid", ["d1"], ["s1"], name="sigmoid"),
    helper.make_node("Mul", ["d1", "s1"], ["swish"], name="swish"),
    helper.make_node("Reshape", ["swish", "shape"], ["rows"], name="rows"),
    helper.make_node("MatMul", ["rows", "fc_w"], ["fc"], name="fc"),
    helper.make_node("Add", ["fc", "fc_b"], ["out"], name="bias"),
]
model = make_model(
    nodes, [value_info("x", [2, 8, 24, 24])], [value_info("out", [32, 96])],
    [initializer("c1_w", weights(16, 8, 3, 3)), initializer("c1_b", weights(16)),
     initializer("dw_w", weights(16, 1, 3, 3)),
     initializer("shape", np.array([32, 576], dtype=np.int64)),
     initializer("fc_w", weights(576, 96, scale=0.05)), initializer("fc_b", weights(96))],
    opset=17)
path = os.path.join(workdir, "threads.onnx")
onnx.save(model, path)

x = rng.standard_normal((2, 8, 24, 24)).astype(np.float32)
expected = reference(model, {"x": x})["out"]
np.save(os.path.join(workdir, "x.npy"), x)
np.save(os.path.join(workdir, "expected.npy"), expected)


def parallel_loops(level):
    """How many loops of the compiled model go to the thread pool."""
    out = os.path.join(workdir, f"threads-O{level}.mlir")
    run([sinter, "compile", path, f"-O{level}", "--emit=llvm-mlir", "-o", out])
    return open(out).read().count("llvm.call @sinter_rt_parallel_for")


outlined = parallel_loops(2)
assert outlined >= 2, f"expected parallel loops in the GEMMs and convs, found {outlined}"
assert parallel_loops(0) == 0, "-O0 must keep every loop serial"
print(f"parallel loops: {outlined}")

results = {}
for threads in (1, 2, 4):
    out_dir = os.path.join(workdir, f"out-{threads}")
    result = run([sinter, "run", path, "--threads", str(threads),
                  "--input", f"x={os.path.join(workdir, 'x.npy')}",
                  "--expect", f"out={os.path.join(workdir, 'expected.npy')}",
                  "--atol", "1e-4", "--rtol", "1e-4", "--output-dir", out_dir])
    results[threads] = np.load(os.path.join(out_dir, "out.npy"))
    np.testing.assert_allclose(results[threads], expected, rtol=1e-4, atol=1e-4,
                               err_msg=f"{threads} threads")
    print(f"{threads} threads: ok\n{result.stdout.strip()}")
for threads in (2, 4):
    assert np.array_equal(results[threads], results[1]), \
        f"{threads} threads differ from 1 thread"

# Many runs of one session, to give a race a chance to show.
bench = run([sinter, "bench", path, "--threads", "2", "--iterations", "50",
             "--input", f"x={os.path.join(workdir, 'x.npy')}"])
assert "2 threads" in bench.stdout, bench.stdout

# A session's thread count is checked when it is created.
refused = run([sinter, "run", path, "--threads", "-1",
               "--input", f"x={os.path.join(workdir, 'x.npy')}"], check=False)
assert refused.returncode != 0 and "--threads" in refused.stderr, refused.stderr
print("threads: ok")
