# RUN: %sinter_python %s %sinter %t
# Corrupted models never crash the compiler: a few hundred seeded mutations of valid
# ONNX files (flipped bytes, cut files, spliced garbage, edited attributes and shapes)
# each either compile or are refused with one error line and exit status 1.
import os
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)
rng = np.random.default_rng(2024)
import subprocess


def seed_models():
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    conv = make_model(
        [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 0, 1, 2], strides=[2, 1]),
         helper.make_node("Relu", ["c"], ["r"], name="relu"),
         helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2]),
         helper.make_node("Flatten", ["p"], ["f"], name="flat"),
         helper.make_node("Softmax", ["f"], ["y"], name="softmax", axis=1)],
        [value_info("x", [1, 3, 8, 8])], [value_info("y", [1, 36])], [initializer("w", w)])
    shape = make_model(
        [helper.make_node("Reshape", ["x", "s"], ["r"], name="reshape"),
         helper.make_node("Transpose", ["r"], ["t"], name="transpose", perm=[1, 0]),
         helper.make_node("Gather", ["t", "i"], ["g"], name="gather", axis=0),
         helper.make_node("ReduceMean", ["g"], ["y"], name="mean", axes=[1], keepdims=0)],
        [value_info("x", [2, 3, 4])], [value_info("y", [2])],
        [initializer("s", np.array([6, 4], np.int64)), initializer("i", np.array([0, 3], np.int64))],
        opset=13)
    return [conv.SerializeToString(), shape.SerializeToString()]


def mutate(data):
    data = bytearray(data)
    kind = rng.integers(0, 4)
    if kind == 0:  # flip a few bytes
        for _ in range(rng.integers(1, 8)):
            data[rng.integers(0, len(data))] = rng.integers(0, 256)
    elif kind == 1:  # cut
        data = data[: rng.integers(1, len(data))]
    elif kind == 2:  # splice random bytes in
        at = rng.integers(0, len(data))
        data[at:at] = bytes(rng.integers(0, 256, rng.integers(1, 32), dtype=np.uint8))
    else:  # overwrite varints with large values
        for _ in range(rng.integers(1, 4)):
            at = rng.integers(0, len(data) - 1)
            data[at:at + 2] = b"\xff\x7f"
    return bytes(data)


refused = compiled = 0
for index in range(300):
    seed = seed_models()[index % 2]
    path = os.path.join(workdir, f"mutant{index}.onnx")
    with open(path, "wb") as f:
        f.write(mutate(seed))
    result = subprocess.run([sinter, "compile", path, "--emit=llvm", "-o", os.devnull],
                            capture_output=True, text=True, errors="backslashreplace",
                            timeout=120)
    if result.returncode < 0:
        sys.exit(f"FAIL: {path} killed sinter with signal {-result.returncode}\n{result.stderr}")
    if result.returncode == 0:
        compiled += 1
        continue
    lines = result.stderr.strip().splitlines()
    if result.returncode != 1 or len(lines) != 1 or not lines[0].startswith("sinter: error: "):
        sys.exit(f"FAIL: {path}: exit {result.returncode}, stderr:\n{result.stderr}")
    refused += 1
    os.remove(path)
print(f"fuzz: {compiled} compiled, {refused} refused cleanly, 0 crashes")
