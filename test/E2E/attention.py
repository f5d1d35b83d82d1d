# RUN: %sinter_python %s %sinter %t
# A self-attention block as exporters write it: decomposed layer norm, Q/K/V projections,
# Reshape/Transpose into heads, scaled MatMul, Softmax, residual; and opset 17's
# LayerNormalization. Checked against onnxruntime.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(3)
B, S, D, H = 2, 16, 32, 4
DH = D // H


def weights(*shape, scale=0.2):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def reduce_mean(inp, out, name, opset):
    if opset >= 18:
        return [helper.make_node("ReduceMean", [inp, "axes_last"], [out], name=name,
                                 keepdims=1)]
    return [helper.make_node("ReduceMean", [inp], [out], name=name, axes=[-1], keepdims=1)]


def layer_norm(inp, out, prefix, opset, fused):
    if fused:
        return [helper.make_node("LayerNormalization", [inp, "ln_g", "ln_b"], [out],
                                 name=prefix, axis=-1, epsilon=1e-5)]
    return (reduce_mean(inp, f"{prefix}_mean", f"{prefix}_mean", opset) + [
        helper.make_node("Sub", [inp, f"{prefix}_mean"], [f"{prefix}_c"], name=f"{prefix}_sub"),
        helper.make_node("Pow", [f"{prefix}_c", "two"], [f"{prefix}_sq"], name=f"{prefix}_pow"),
    ] + reduce_mean(f"{prefix}_sq", f"{prefix}_var", f"{prefix}_varmean", opset) + [
        helper.make_node("Add", [f"{prefix}_var", "eps"], [f"{prefix}_ve"], name=f"{prefix}_add"),
        helper.make_node("Sqrt", [f"{prefix}_ve"], [f"{prefix}_std"], name=f"{prefix}_sqrt"),
        helper.make_node("Div", [f"{prefix}_c", f"{prefix}_std"], [f"{prefix}_n"],
                         name=f"{prefix}_div"),
        helper.make_node("Mul", [f"{prefix}_n", "ln_g"], [f"{prefix}_s"], name=f"{prefix}_mul"),
        helper.make_node("Add", [f"{prefix}_s", "ln_b"], [out], name=f"{prefix}_shift"),
    ])


def attention(opset, fused_ln):
    inits = [
        initializer("ln_g", rng.uniform(0.5, 1.5, D).astype(np.float32)),
        initializer("ln_b", weights(D)),
        initializer("two", np.array(2.0, np.float32)),
        initializer("eps", np.array(1e-5, np.float32)),
        initializer("axes_last", np.array([-1], np.int64)),
        initializer("heads_shape", np.array([B, S, H, DH], np.int64)),
        initializer("merge_shape", np.array([0, 0, -1], np.int64)),
        initializer("scale", np.array(1.0 / np.sqrt(DH), np.float32)),
        initializer("wo", weights(D, D)), initializer("bo", weights(D)),
    ]
    nodes = layer_norm("x", "ln", "ln", opset, fused_ln)
    for p in "qkv":
        inits += [initializer(f"w{p}", weights(D, D)), initializer(f"b{p}", weights(D))]
        nodes += [
            helper.make_node("MatMul", ["ln", f"w{p}"], [f"{p}_mm"], name=f"{p}_proj"),
            helper.make_node("Add", [f"{p}_mm", f"b{p}"], [f"{p}_lin"], name=f"{p}_bias"),
            helper.make_node("Reshape", [f"{p}_lin", "heads_shape"], [f"{p}_heads"],
                             name=f"{p}_reshape"),
            helper.make_node("Transpose", [f"{p}_heads"], [f"{p}_t"], name=f"{p}_transpose",
                             perm=[0, 2, 1, 3]),
        ]
    nodes += [
        helper.make_node("Transpose", ["k_t"], ["k_tt"], name="k_transpose2", perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", ["q_t", "k_tt"], ["scores"], name="qk"),
        helper.make_node("Mul", ["scores", "scale"], ["scaled"], name="scale_scores"),
        helper.make_node("Softmax", ["scaled"], ["attn"], name="softmax", axis=-1),
        helper.make_node("MatMul", ["attn", "v_t"], ["ctx"], name="attn_v"),
        helper.make_node("Transpose", ["ctx"], ["ctx_t"], name="ctx_transpose",
                         perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ctx_t", "merge_shape"], ["merged"], name="merge_heads"),
        helper.make_node("MatMul", ["merged", "wo"], ["o_mm"], name="out_proj"),
        helper.make_node("Add", ["o_mm", "bo"], ["o"], name="out_bias"),
        helper.make_node("Add", ["x", "o"], ["y"], name="residual"),
    ]
    return make_model(nodes, [value_info("x", [B, S, D])], [value_info("y", [B, S, D])],
                      inits, opset=opset)


for opset, fused in ((13, False), (17, False), (17, True), (18, False)):
    x = rng.standard_normal((B, S, D)).astype(np.float32)
    tag = f"attention_opset{opset}" + ("_layernorm" if fused else "")
    check_sinter_run(sinter, attention(opset, fused), {"x": x}, workdir, tag)
