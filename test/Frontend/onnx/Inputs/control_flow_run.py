"""control-flow-run.test: If, Loop and Scan compiled by `sinter run` and
checked against onnxruntime, including conditions and trip counts that come
from (or are computed from) the input values `sinter run` is given."""
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(3)
BOOL, INT64, FLOAT = TensorProto.BOOL, TensorProto.INT64, TensorProto.FLOAT


def info(name, shape, dtype=FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


def graph(nodes, inputs, outputs, name="body"):
    return helper.make_graph(nodes, name, inputs, outputs)


def node(op, inputs, outputs, **attrs):
    return helper.make_node(op, inputs, outputs, name=outputs[0], **attrs)


# If on a graph input: the branch its value selects is compiled.
if_model = make_model([
    node("If", ["c"], ["y"],
         then_branch=graph([node("Mul", ["x", "w"], ["t"])], [], [info("t", [2, 3])], "then"),
         else_branch=graph([node("Sub", ["x", "w"], ["e"])], [], [info("e", [2, 3])], "else"))],
    [value_info("c", [], np.bool_), value_info("x", [2, 3])], [value_info("y", [2, 3])],
    [initializer("w", rng.standard_normal(3).astype(np.float32))], opset=13)
x = rng.standard_normal((2, 3)).astype(np.float32)
for flag in (True, False):
    check_sinter_run(sinter, if_model, {"c": np.array(flag), "x": x}, workdir, f"if_{flag}")

# Range's function body: the trip count is computed from the inputs' values;
# the body reads `delta` from the enclosing graph.
range_body = graph(
    [node("Identity", ["cond"], ["cond_out"]), node("Add", ["prev", "delta"], ["current"]),
     node("Identity", ["prev"], ["range"])],
    [info("i", [], INT64), info("cond", [], BOOL), info("prev", [2])],
    [info("cond_out", [], BOOL), info("current", [2]), info("range", [2])])
range_model = make_model([
    node("Unsqueeze", ["step", "zero"], ["delta"]), node("Sub", ["limit", "start"], ["span"]),
    node("Gather", ["span", "first"], ["widest"]),
    node("Div", ["widest", "step"], ["steps"]), node("Ceil", ["steps"], ["ceiled"]),
    node("Relu", ["ceiled"], ["count_f"]), node("Cast", ["count_f"], ["count"], to=INT64),
    node("Loop", ["count", "", "start"], ["last", "values"], body=range_body)],
    [value_info("start", [2]), value_info("limit", [2]), value_info("step", [])],
    [value_info("last", [2]), value_info("values", [None, 2])],
    [initializer("zero", np.array([0], np.int64)), initializer("first", np.array(0, np.int64))],
    opset=13)
check_sinter_run(sinter, range_model,
                 {"start": np.array([1, 2], np.float32), "limit": np.array([4, 3], np.float32),
                  "step": np.array(0.75, np.float32)}, workdir, "range_loop")

# Loop with a trip count given as an input (0: no iterations, an empty scan
# output) and a condition from an iteration-number comparison, which ends it
# first.
while_body = graph(
    [node("Less", ["i", "two"], ["more"]), node("Mul", ["acc_in", "x"], ["acc_out"]),
     node("Add", ["acc_out", "x"], ["scan"])],
    [info("i", [], INT64), info("cond", [], BOOL), info("acc_in", [3])],
    [info("more", [], BOOL), info("acc_out", [3]), info("scan", [3])])
while_model = make_model(
    [node("Loop", ["m", "yes", "x"], ["acc", "scans"], body=while_body)],
    [value_info("m", [], np.int64), value_info("x", [3])],
    [value_info("acc", [3]), value_info("scans", [None, 3])],
    [initializer("yes", np.array(True)), initializer("two", np.array(2, np.int64))], opset=16)
x3 = rng.standard_normal(3).astype(np.float32)
for m in (0, 1, 5):
    check_sinter_run(sinter, while_model, {"m": np.array(m, np.int64), "x": x3}, workdir,
                     f"while_m{m}")

# Scan with every attribute, and the batched Scan of opset 8.
scan_body = graph(
    [node("Add", ["s_in", "col"], ["s_out"]), node("Mul", ["s_out", "col"], ["out"])],
    [info("s_in", [2]), info("col", [2])], [info("s_out", [2]), info("out", [2])])
scan_model = make_model([
    node("Scan", ["s0", "x"], ["s", "y"], num_scan_inputs=1, scan_input_axes=[1],
         scan_input_directions=[1], scan_output_axes=[-1], scan_output_directions=[1],
         body=scan_body)],
    [value_info("s0", [2]), value_info("x", [2, 4])], [value_info("s", [2]),
                                                      value_info("y", [2, 4])], opset=16)
check_sinter_run(sinter, scan_model,
                 {"s0": rng.standard_normal(2).astype(np.float32),
                  "x": rng.standard_normal((2, 4)).astype(np.float32)}, workdir, "scan_axes")
batched_model = make_model([
    node("Scan", ["", "s0", "x"], ["s", "y"], num_scan_inputs=1, directions=[1],
         body=scan_body)],
    [value_info("s0", [3, 2]), value_info("x", [3, 4, 2])],
    [value_info("s", [3, 2]), value_info("y", [3, 4, 2])], opset=8)
check_sinter_run(sinter, batched_model,
                 {"s0": rng.standard_normal((3, 2)).astype(np.float32),
                  "x": rng.standard_normal((3, 4, 2)).astype(np.float32)}, workdir,
                 "scan_batched")
