# RUN: %sinter_python %s %sinter %t
# Bad input gets one clear error line and exit status 1, never a signal: truncated,
# garbage and unsupported-op models, and wrong inputs to `sinter run`.
import os
import sys

import numpy as np
import onnx
from onnx import helper

from sinter_testing import initializer, make_model, run, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
os.makedirs(workdir, exist_ok=True)


def expect_error(cmd, *needles):
    result = run(cmd, check=False)
    assert result.returncode == 1, (cmd, result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    assert lines[0].startswith("sinter: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], f"'{needle}' not in: {lines[0]}"
    print("refused:", lines[0])


w = np.ones((4, 4), np.float32)
good = make_model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
                  [value_info("x", [2, 4])], [value_info("y", [2, 4])],
                  [initializer("w", w)], opset=13)
good_path = os.path.join(workdir, "good.onnx")
onnx.save(good, good_path)
data = open(good_path, "rb").read()

truncated = os.path.join(workdir, "truncated.onnx")
open(truncated, "wb").write(data[: len(data) // 2])
expect_error([sinter, "compile", truncated, "-o", os.path.join(workdir, "t.o")],
             "truncated.onnx")

garbage = os.path.join(workdir, "garbage.onnx")
open(garbage, "wb").write(bytes(np.random.default_rng(0).integers(0, 256, 4096,
                                                                  dtype=np.uint8)))
expect_error([sinter, "compile", garbage], "garbage.onnx")

text_file = os.path.join(workdir, "notes.onnx")
open(text_file, "w").write("this is not a model\n" * 20)
expect_error([sinter, "compile", text_file], "notes.onnx")

unsupported = make_model([helper.make_node("SequenceEmpty", [], ["y"], name="the_sequence")],
                         [value_info("x", [2, 4])], [value_info("y", [2, 4])], opset=13)
unsupported_path = os.path.join(workdir, "unsupported.onnx")
onnx.save(unsupported, unsupported_path)
expect_error([sinter, "compile", unsupported_path], "unsupported.onnx", "the_sequence",
             "SequenceEmpty")

symbolic = make_model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                      [value_info("x", ["batch", 4])], [value_info("y", ["batch", 4])],
                      opset=13)
symbolic_path = os.path.join(workdir, "symbolic.onnx")
onnx.save(symbolic, symbolic_path)
expect_error([sinter, "compile", symbolic_path], "x", "--input-shape")
# ... which --input-shape fixes.
run([sinter, "compile", symbolic_path, "--input-shape", "x=3x4", "-o",
     os.path.join(workdir, "symbolic.o")])

expect_error([sinter, "compile", os.path.join(workdir, "missing.onnx")], "missing.onnx")

# Wrong inputs to a good model through `sinter run` (the runtime's checks).
wrong_shape = os.path.join(workdir, "wrong_shape.npy")
np.save(wrong_shape, np.ones((2, 5), np.float32))
expect_error([sinter, "run", good_path, "--input", f"x={wrong_shape}"], "'x'", "dims")
wrong_dtype = os.path.join(workdir, "wrong_dtype.npy")
np.save(wrong_dtype, np.ones((2, 4), np.int64))
expect_error([sinter, "run", good_path, "--input", f"x={wrong_dtype}"], "'x'", "i64")
expect_error([sinter, "run", good_path], "missing --input", "'x'")
expect_error([sinter, "run", good_path, "--input", f"nope={wrong_shape}"], "nope")
broken_npy = os.path.join(workdir, "broken.npy")
open(broken_npy, "wb").write(b"\x93NUMPY\x01\x00")
expect_error([sinter, "run", good_path, "--input", f"x={broken_npy}"], "broken.npy")
print("errors: ok")

# `sinter inspect` names what it cannot compile, on stdout and in one error line.
result = run([sinter, "inspect", unsupported_path], check=False)
assert result.returncode == 1, result
assert "unsupported ops: SequenceEmpty" in result.stdout, result.stdout
assert result.stderr.strip().splitlines() == [
    f"sinter: error: {unsupported_path}: cannot compile: unsupported operators SequenceEmpty"], result.stderr
print("inspect: ok")
