# RUN: %sinter_python %s %sinter %t
# RNN, GRU and LSTM unrolled: every direction, sequence_lens, initial states,
# peepholes, linear_before_reset, batch-first layout, clip and non-default
# activations. Checked against onnxruntime.
import sys

import numpy as np
from onnx import helper

import sinter_testing
from onnx.reference import ReferenceEvaluator
from sinter_testing import check_sinter_run, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)
SEQ, BATCH, INPUT, HIDDEN = 4, 3, 5, 6
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def case(op, tag, direction="forward", layout=0, lengths=False, initial=False,
         peepholes=False, opset=14, **attrs):
    dirs = 2 if direction == "bidirectional" else 1
    g = GATES[op]
    x_shape = [BATCH, SEQ, INPUT] if layout else [SEQ, BATCH, INPUT]
    state_shape = [BATCH, dirs, HIDDEN] if layout else [dirs, BATCH, HIDDEN]
    feeds = {
        "X": rng.standard_normal(x_shape).astype(np.float32),
        "W": (rng.standard_normal([dirs, g * HIDDEN, INPUT]) * 0.4).astype(np.float32),
        "R": (rng.standard_normal([dirs, g * HIDDEN, HIDDEN]) * 0.4).astype(np.float32),
        "B": (rng.standard_normal([dirs, 2 * g * HIDDEN]) * 0.2).astype(np.float32),
    }
    names = ["X", "W", "R", "B"]
    if lengths:
        feeds["L"] = np.array([SEQ, 2, 1][:BATCH], np.int32)
    names.append("L" if lengths else "")
    if initial:
        feeds["H0"] = rng.standard_normal(state_shape).astype(np.float32)
        if op == "LSTM":
            feeds["C0"] = rng.standard_normal(state_shape).astype(np.float32)
    names.append("H0" if initial else "")
    if op == "LSTM":
        names.append("C0" if initial else "")
        if peepholes:
            feeds["P"] = (rng.standard_normal([dirs, 3 * HIDDEN]) * 0.3).astype(np.float32)
        names.append("P" if peepholes else "")
    while names[-1] == "":
        names.pop()
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, names, outputs, name=op.lower(), direction=direction,
                            hidden_size=HIDDEN, **({"layout": layout} if layout else {}),
                            **attrs)
    infos = [value_info(n, list(feeds[n].shape), feeds[n].dtype) for n in names if n]
    y_shape = [BATCH, SEQ, dirs, HIDDEN] if layout else [SEQ, dirs, BATCH, HIDDEN]
    out_infos = [value_info("Y", y_shape), value_info("Y_h", state_shape)]
    if op == "LSTM":
        out_infos.append(value_info("Y_c", state_shape))
    model = make_model([node], infos, out_infos, opset=opset)
    # onnxruntime has no batch-first layout; the ONNX reference has, but no
    # sequence_lens.
    ort_reference = sinter_testing.reference
    if layout:
        sinter_testing.reference = lambda m, f: dict(
            zip(outputs, ReferenceEvaluator(m).run(None, f)))
    check_sinter_run(sinter, model, feeds, workdir, f"{op}_{tag}", atol=1e-4, rtol=1e-4)
    sinter_testing.reference = ort_reference


for op in ("RNN", "GRU", "LSTM"):
    case(op, "forward")
    case(op, "reverse_lengths", direction="reverse", lengths=True, initial=True)
    case(op, "bidirectional_lengths", direction="bidirectional", lengths=True,
         initial=True)
    case(op, "batch_first", direction="bidirectional", layout=1, initial=True)
case("GRU", "linear_before_reset", direction="bidirectional", linear_before_reset=1)
case("LSTM", "peepholes_clip", lengths=True, initial=True, peepholes=True, clip=1.5)
case("LSTM", "input_forget", input_forget=1)
case("RNN", "activations", direction="bidirectional", activations=["Relu", "HardSigmoid"],
     activation_alpha=[0.3], activation_beta=[0.4])
case("GRU", "activations", activations=["HardSigmoid", "LeakyRelu"],
     activation_alpha=[0.25, 0.1], activation_beta=[0.45])

# CausalConvWithState (opset 27), checked against the ONNX reference: a past
# state, a bias and SiLU.
sinter_testing.reference = lambda m, f: dict(
    zip([o.name for o in m.graph.output], ReferenceEvaluator(m).run(None, f)))
feeds = {"x": rng.standard_normal([2, 3, 5]).astype(np.float32),
         "w": rng.standard_normal([3, 1, 3]).astype(np.float32),
         "b": rng.standard_normal([3]).astype(np.float32),
         "s": rng.standard_normal([2, 3, 2]).astype(np.float32)}
node = helper.make_node("CausalConvWithState", ["x", "w", "b", "s"], ["y", "state"],
                        name="conv", activation="silu")
model = make_model([node], [value_info(n, list(v.shape)) for n, v in feeds.items()],
                   [value_info("y", [2, 3, 5]), value_info("state", [2, 3, 2])], opset=27)
check_sinter_run(sinter, model, feeds, workdir, "causal_conv_with_state", atol=1e-5, rtol=1e-5)
