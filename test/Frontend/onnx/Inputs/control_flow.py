"""Models for control-flow-import.test and control-flow-errors.test: If, Loop
and Scan with subgraphs that read outer values by name."""
from onnx_models import *

d = out_dir()
BOOL = TensorProto.BOOL
y = untyped("y")
i64 = lambda *v: np.array(v, np.int64)
f32 = lambda *v: np.array(v, np.float32)


def graph(nodes, inputs, outputs, name="body"):
    return helper.make_graph(list(nodes), name, list(inputs), list(outputs))


def loop_body(nodes, carried, scans=(), cond_out="cond_in"):
    """A Loop body: (i, cond_in, carried...) -> (cond_out, carried..., scans...)."""
    if cond_out == "cond_in":
        nodes = [node("Identity", ["cond_in"], ["cond_out"])] + list(nodes)
        cond_out = "cond_out"
    inputs = [tensor("i", [], INT64), tensor("cond_in", [], BOOL)]
    inputs += [tensor(name + "_in", None) for name in carried]
    outputs = [tensor(cond_out, [], BOOL)] + [untyped(name + "_out") for name in carried]
    outputs += [untyped(name) for name in scans]
    return graph(nodes, inputs, outputs)


# If on a constant: only the branch taken is imported; the other would fail.
save(d, "if_constant", [
    node("Constant", [], ["c"], value=helper.make_tensor("c", BOOL, [], [True])),
    node("If", ["c"], ["y"], name="if",
         then_branch=graph([node("Add", ["x", "one"], ["t"])], [], [untyped("t")], "then"),
         else_branch=graph([node("NonMaxSuppression", ["x", "x"], ["e"])], [],
                           [untyped("e")], "else"))],
    [tensor("x", [2, 3])], [y], [const("one", f32(1))], opset=11)

# A condition from a shape computation, and an If nested in the branch whose
# output is an outer value.
inner = graph([node("If", ["small"], ["r"], name="inner",
                    then_branch=graph([], [], [untyped("x")], "pass"),
                    else_branch=graph([node("Neg", ["x"], ["n"])], [], [untyped("n")],
                                      "negate"))],
              [], [untyped("r")], "outer_then")
save(d, "if_nested", [
    node("Shape", ["x"], ["shape"]), node("ReduceProd", ["shape"], ["size"], keepdims=0),
    node("Greater", ["size", "five"], ["big"]), node("Not", ["big"], ["small"]),
    node("If", ["big"], ["y"], name="outer", then_branch=inner,
         else_branch=graph([node("Relu", ["x"], ["z"])], [], [untyped("z")], "else"))],
    [tensor("x", [2, 3])], [y], [const("five", i64(5))], opset=13)

# M = 3: unrolled, each iteration reading row i of an outer table (a Slice
# that folds because i is a constant), with a scan output.
save(d, "loop_unrolled", [
    node("Loop", ["three", "true", "x"], ["y", "rows"], name="loop", body=loop_body([
        node("Unsqueeze", ["i", "zero"], ["start"]), node("Add", ["start", "one"], ["end"]),
        node("Slice", ["table", "start", "end"], ["row"]),
        node("Add", ["x_in", "row"], ["x_out"]),
        node("Identity", ["x_out"], ["scan"])], ["x"], ["scan"]))],
    [tensor("x", [1, 2])], [y, untyped("rows")],
    [const("three", np.array(3, np.int64)), const("true", np.array(True)),
     const("zero", i64(0)), const("one", i64(1)),
     const("table", f32([1, 2], [3, 4], [5, 6]))], opset=13)

# No trip count: the body's condition (i < 2) folds, so the loop runs 3 times;
# the loop-carried value doubles its length each time.
save(d, "loop_while", [
    node("Loop", ["", "true", "x"], ["y"], name="loop", body=loop_body([
        node("Less", ["i", "two"], ["more"]),
        node("Concat", ["x_in", "x_in"], ["x_out"], axis=0)], ["x"], cond_out="more"))],
    [tensor("x", [2])], [y],
    [const("true", np.array(True)), const("two", np.array(2, np.int64))], opset=16)

# Scan with every attribute: input scanned along axis 1 in reverse, output
# stacked along axis -1 in reverse.
save(d, "scan_axes", [
    node("Scan", ["s0", "x"], ["s", "y"], name="scan", num_scan_inputs=1,
         scan_input_axes=[1], scan_input_directions=[1], scan_output_axes=[-1],
         scan_output_directions=[1],
         body=graph([node("Add", ["s_in", "col"], ["s_out"]),
                     node("Mul", ["s_out", "col"], ["out"])],
                    [tensor("s_in", [2]), tensor("col", [2])],
                    [untyped("s_out"), untyped("out")]))],
    [tensor("s0", [2]), tensor("x", [2, 3])], [untyped("s"), y], opset=16)

# Opset 8: a batch axis 0 and an empty sequence_lens.
save(d, "scan_batched", [
    node("Scan", ["", "s0", "x"], ["s", "y"], name="scan", num_scan_inputs=1,
         body=graph([node("Add", ["s_in", "step"], ["s_out"]),
                     node("Identity", ["s_out"], ["out"])],
                    [tensor("s_in", [2]), tensor("step", [2])],
                    [untyped("s_out"), untyped("out")]))],
    [tensor("s0", [2, 2]), tensor("x", [2, 3, 2])], [untyped("s"), y], opset=8)

# Errors.
save(d, "if_runtime", [
    node("If", ["c"], ["y"], name="if",
         then_branch=graph([node("Relu", ["x"], ["t"])], [], [untyped("t")], "then"),
         else_branch=graph([node("Neg", ["x"], ["e"])], [], [untyped("e")], "else"))],
    [tensor("c", [], BOOL), tensor("x", [2])], [y], opset=13)
save(d, "if_outputs", [
    node("If", ["c"], ["y", "z"], name="if",
         then_branch=graph([node("Relu", ["x"], ["t"])], [], [untyped("t")], "then"),
         else_branch=graph([node("Neg", ["x"], ["e"])], [], [untyped("e")], "else"))],
    [tensor("x", [2])], [y, untyped("z")], [const("c", np.array(True))], opset=13)
save(d, "loop_runtime_count", [
    node("Loop", ["m", "", "x"], ["y"], name="loop",
         body=loop_body([node("Relu", ["x_in"], ["x_out"])], ["x"]))],
    [tensor("m", [], INT64), tensor("x", [2])], [y], opset=13)
save(d, "loop_runtime_cond", [
    node("Loop", ["", "true", "x"], ["y"], name="loop", body=loop_body([
        node("ReduceSum", ["x_in"], ["total"], keepdims=0),
        node("Less", ["total", "ten"], ["more"]),
        node("Add", ["x_in", "x_in"], ["x_out"])], ["x"], cond_out="more"))],
    [tensor("x", [2])], [y], [const("true", np.array(True)), const("ten", f32(10))], opset=13)
save(d, "loop_unbounded", [
    node("Loop", ["", "", "x"], ["y"], name="loop",
         body=loop_body([node("Relu", ["x_in"], ["x_out"])], ["x"]))],
    [tensor("x", [2])], [y], opset=13)
save(d, "loop_too_long", [
    node("Loop", ["m", "", "x"], ["y"], name="loop",
         body=loop_body([node("Relu", ["x_in"], ["x_out"])], ["x"]))],
    [tensor("x", [2])], [y], [const("m", np.array(10**9, np.int64))], opset=13)
save(d, "loop_body_error", [
    node("Loop", ["m", "", "x"], ["y"], name="loop",
         body=loop_body([node("Add", ["x_in", "w"], ["x_out"], name="add")], ["x"]))],
    [tensor("x", [2])], [y], [const("m", np.array(2, np.int64)), const("w", f32(1, 2, 3))],
    opset=13)
save(d, "loop_sequence", [
    node("SequenceEmpty", [], ["empty"], name="empty", dtype=TensorProto.FLOAT),
    node("Loop", ["m", "", "empty"], ["y"], name="loop", body=loop_body([
        node("SequenceInsert", ["seq_in", "x"], ["seq_out"])], ["seq"]))],
    [tensor("x", [2])], [y], [const("m", np.array(2, np.int64))], opset=13)
save(d, "scan_lengths", [
    node("Scan", ["a", "b"], ["y"], name="scan", num_scan_inputs=2,
         body=graph([node("Add", ["ea", "eb"], ["out"])],
                    [tensor("ea", []), tensor("eb", [])], [untyped("out")]))],
    [tensor("a", [3]), tensor("b", [4])], [y], opset=16)
