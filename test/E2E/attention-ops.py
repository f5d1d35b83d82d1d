# RUN: %sinter_python %s %sinter %t
# ONNX's Attention (opset 23) and RotaryEmbedding as single nodes: 3-D and 4-D
# inputs, grouped-query heads, causal and padded masks, a KV cache with present
# outputs, softcap and the qk_matmul_output modes. Checked against onnxruntime.
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import check_sinter_run, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)


def output_shapes(shapes, attrs):
    """Y, present_key, present_value and qk_matmul_output shapes."""
    q, k, v = shapes["Q"], shapes["K"], shapes["V"]
    past = shapes["past_key"][2] if "past_key" in shapes else 0
    if len(q) == 3:
        hq, hkv = attrs["q_num_heads"], attrs["kv_num_heads"]
        b, sq, skv = q[0], q[1], k[1]
        dk, dv = k[2] // hkv, v[2] // hkv
        y = [b, sq, hq * dv]
    else:
        b, hq, sq = q[:3]
        hkv, skv, dk, dv = k[1], k[2], k[3], v[3]
        y = [b, hq, sq, dv]
    total = past + skv
    return {"Y": y, "present_key": [b, hkv, total, dk], "present_value": [b, hkv, total, dv],
            "qk_matmul_output": [b, hq, sq, total]}


def attention_model(shapes, outputs, mask_dtype=None, **attrs):
    names = ["Q", "K", "V", "attn_mask", "past_key", "past_value"]
    inputs, node_inputs = [], []
    for name in names:
        if name in shapes:
            dtype = mask_dtype if name == "attn_mask" and mask_dtype else np.float32
            inputs.append(value_info(name, shapes[name], dtype))
            node_inputs.append(name)
        else:
            node_inputs.append("")
    while node_inputs[-1] == "":
        node_inputs.pop()
    out_names = ["Y", "present_key", "present_value", "qk_matmul_output"]
    node_outputs = [n if n in outputs else "" for n in out_names]
    while node_outputs[-1] == "":
        node_outputs.pop()
    node = helper.make_node("Attention", node_inputs, node_outputs, name="attn", **attrs)
    out_shapes = output_shapes(shapes, attrs)
    return make_model([node], inputs,
                      [helper.make_tensor_value_info(n, TensorProto.FLOAT, out_shapes[n])
                       for n in out_names if n in outputs], opset=23)


def feeds_for(shapes, mask_dtype=None):
    feeds = {}
    for name, shape in shapes.items():
        if name == "attn_mask" and mask_dtype == np.bool_:
            feeds[name] = rng.random(shape) > 0.3
        elif name == "attn_mask":
            feeds[name] = np.where(rng.random(shape) > 0.3, 0.0, -np.inf).astype(np.float32)
        else:
            feeds[name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


cases = [
    # tag, shapes, outputs, mask dtype, attributes
    ("4d_causal", {"Q": [2, 3, 4, 8], "K": [2, 3, 6, 8], "V": [2, 3, 6, 8]},
     ["Y"], None, dict(is_causal=1)),
    ("3d_gqa_mask_past", {"Q": [2, 4, 72], "K": [2, 4, 24], "V": [2, 4, 30],
                          "attn_mask": [2, 1, 4, 9], "past_key": [2, 3, 5, 8],
                          "past_value": [2, 3, 5, 10]},
     ["Y", "present_key", "present_value"], np.float32,
     dict(q_num_heads=9, kv_num_heads=3)),
    ("4d_bool_mask_softcap_qk", {"Q": [1, 2, 3, 8], "K": [1, 2, 5, 8], "V": [1, 2, 5, 4],
                                 "attn_mask": [3, 5]},
     ["Y", "qk_matmul_output"], np.bool_, dict(softcap=2.0, qk_matmul_output_mode=1)),
    ("4d_scaled_bias_out", {"Q": [2, 2, 3, 4], "K": [2, 2, 3, 4], "V": [2, 2, 3, 4],
                            "attn_mask": [3, 3]},
     ["Y", "qk_matmul_output"], np.float32, dict(scale=0.3, qk_matmul_output_mode=2)),
]
for tag, shapes, outputs, mask_dtype, attrs in cases:
    model = attention_model(shapes, outputs, mask_dtype, **attrs)
    feeds = feeds_for(shapes, mask_dtype)
    check_sinter_run(sinter, model, feeds, workdir, f"attention_{tag}", atol=1e-4, rtol=1e-4)

# RotaryEmbedding on 4-D input with position ids, and interleaved on 3-D with
# a partial rotary dimension.
for tag, x_shape, interleaved, rotary_dim, num_heads in (
        ("4d", [2, 3, 5, 8], 0, 0, None), ("3d_interleaved_partial", [2, 5, 24], 1, 4, 3)):
    batch, seq = x_shape[0], x_shape[2] if len(x_shape) == 4 else x_shape[1]
    half = (rotary_dim or 8) // 2
    attrs = dict(interleaved=interleaved)
    if rotary_dim:
        attrs["rotary_embedding_dim"] = rotary_dim
    if num_heads:
        attrs["num_heads"] = num_heads
    node = helper.make_node("RotaryEmbedding", ["x", "cos", "sin", "pos"], ["y"],
                            name="rope", **attrs)
    model = make_model([node], [value_info("x", x_shape), value_info("cos", [16, half]),
                                value_info("sin", [16, half]),
                                value_info("pos", [batch, seq], np.int64)],
                       [value_info("y", x_shape)], opset=23)
    angles = rng.uniform(0, 6.28, (16, half))
    feeds = {"x": rng.standard_normal(x_shape).astype(np.float32),
             "cos": np.cos(angles).astype(np.float32), "sin": np.sin(angles).astype(np.float32),
             "pos": rng.integers(0, 16, (batch, seq)).astype(np.int64)}
    check_sinter_run(sinter, model, feeds, workdir, f"rotary_{tag}", atol=1e-5, rtol=1e-5)

# LinearAttention (opset 27) has no onnxruntime kernel yet; the ONNX reference
# implementation checks it: gated delta rule with grouped heads and a past
# state, and the plain linear rule.
import sinter_testing
from onnx.reference import ReferenceEvaluator

sinter_testing.reference = lambda m, f: dict(
    zip([o.name for o in m.graph.output], ReferenceEvaluator(m).run(None, f)))
B, T, HQ, HKV, DK, DV = 2, 3, 4, 2, 4, 3
for rule, extra in (("gated_delta", ["past", "decay", "beta"]), ("linear", [])):
    shapes = {"q": [B, T, HQ * DK], "k": [B, T, HKV * DK], "v": [B, T, HKV * DV],
              "past": [B, HKV, DK, DV], "decay": [B, T, HKV], "beta": [B, T, 1]}
    names = ["q", "k", "v"] + [n if n in extra else "" for n in ("past", "decay", "beta")]
    while names[-1] == "":
        names.pop()
    node = helper.make_node("LinearAttention", names, ["y", "state"], name="la",
                            q_num_heads=HQ, kv_num_heads=HKV, update_rule=rule)
    used = [n for n in names if n]
    model = make_model([node], [value_info(n, shapes[n]) for n in used],
                       [value_info("y", [B, T, HQ * DV]), value_info("state", [B, HKV, DK, DV])],
                       opset=27)
    feeds = {n: rng.standard_normal(shapes[n]).astype(np.float32) * 0.5 for n in used}
    if "decay" in feeds:
        feeds["decay"] = -np.abs(feeds["decay"])
    check_sinter_run(sinter, model, feeds, workdir, f"linear_attention_{rule}",
                     atol=1e-5, rtol=1e-5)
