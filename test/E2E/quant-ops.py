# RUN: %sinter_python %s %sinter %t
# Quantized ops: QuantizeLinear (per tensor, per axis, blocked, int8/uint8/int16,
# ties rounding to even, saturation), DequantizeLinear, DynamicQuantizeLinear,
# MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv with per-channel
# parameters. Checked against onnxruntime.
import sys

import numpy as np
from onnx import TensorProto, helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(9)


def single(op, feeds, outputs, opset, inits=(), **attrs):
    """One node; `outputs` lists (name, dtype, shape)."""
    inputs = list(feeds) + [i.name for i in inits]
    node = helper.make_node(op, inputs, [o[0] for o in outputs], name="q", **attrs)
    infos = [value_info(n, list(v.shape), v.dtype) for n, v in feeds.items()]
    out_infos = [value_info(n, shape, t) for n, t, shape in outputs]
    return make_model([node], infos, out_infos, inits, opset=opset)


# Ties (0.5, 1.5, 2.5, -0.5) round to even, and values beyond the range saturate.
x = np.array([[0.5, 1.5, 2.5, -0.5, -1.5, 300.0], [-300.0, 7.25, 3.0, -2.5, 0.0, 1e6]],
             np.float32)
for zp_dtype in (np.uint8, np.int8, np.int16):
    zp = initializer("zp", np.array(3 if zp_dtype != np.int8 else -2, zp_dtype))
    scale = initializer("scale", np.array(0.5, np.float32))
    model = single("QuantizeLinear", {"x": x}, [("y", zp_dtype, list(x.shape))], 21, [scale, zp])
    check_sinter_run(sinter, model, {"x": x}, workdir, f"quantize_{np.dtype(zp_dtype).name}")

x = rng.standard_normal((2, 3, 4)).astype(np.float32) * 10
model = single("QuantizeLinear", {"x": x}, [("y", np.int8, list(x.shape))], 21,
               [initializer("scale", np.array([0.1, 0.2, 0.3], np.float32)),
                initializer("zp", np.array([1, -1, 0], np.int8))], axis=1)
check_sinter_run(sinter, model, {"x": x}, workdir, "quantize_per_axis")
model = single("QuantizeLinear", {"x": x}, [("y", np.uint8, list(x.shape))], 21,
               [initializer("scale", rng.uniform(0.05, 0.2, (2, 3, 2)).astype(np.float32)),
                initializer("zp", rng.integers(100, 150, (2, 3, 2)).astype(np.uint8))],
               axis=2, block_size=3)
check_sinter_run(sinter, model, {"x": x}, workdir, "quantize_blocked")

q = rng.integers(-128, 128, (2, 4, 3)).astype(np.int8)
model = single("DequantizeLinear", {"q": q}, [("y", np.float32, list(q.shape))], 21,
               [initializer("scale", rng.uniform(0.05, 0.2, (2, 2, 3)).astype(np.float32)),
                initializer("zp", rng.integers(-5, 5, (2, 2, 3)).astype(np.int8))],
               axis=1, block_size=3)
check_sinter_run(sinter, model, {"q": q}, workdir, "dequantize_blocked")

for tag, x in (("mixed", rng.standard_normal((3, 4)).astype(np.float32)),
               ("positive", rng.uniform(1, 3, (5,)).astype(np.float32))):
    model = single("DynamicQuantizeLinear", {"x": x},
                   [("y", np.uint8, list(x.shape)), ("y_scale", np.float32, []), ("y_zero_point", np.uint8, [])], 11)
    check_sinter_run(sinter, model, {"x": x}, workdir, f"dynamic_quantize_{tag}")

a = rng.integers(0, 256, (2, 4, 5)).astype(np.uint8)
b = rng.integers(-128, 128, (5, 3)).astype(np.int8)
model = single("MatMulInteger", {"a": a, "b": b}, [("y", np.int32, [2, 4, 3])], 10,
               [initializer("azp", np.array(128, np.uint8)),
                initializer("bzp", np.array([1, -2, 3], np.int8))])
check_sinter_run(sinter, model, {"a": a, "b": b}, workdir, "matmul_integer")

x = rng.integers(0, 256, (1, 2, 5, 5)).astype(np.uint8)
w = rng.integers(0, 256, (3, 2, 3, 3)).astype(np.uint8)
model = single("ConvInteger", {"x": x, "w": w}, [("y", np.int32, [1, 3, 3, 5])], 10,
               [initializer("xzp", np.array(120, np.uint8)),
                initializer("wzp", np.array(131, np.uint8))],
               pads=[1, 1, 1, 1], strides=[2, 1])
check_sinter_run(sinter, model, {"x": x, "w": w}, workdir, "conv_integer")

a = rng.integers(-128, 128, (2, 3, 8)).astype(np.int8)
b = rng.integers(-128, 128, (8, 4)).astype(np.int8)
model = single("QLinearMatMul", {"a": a, "b": b}, [("y", np.int8, [2, 3, 4])], 10, [
    initializer("as", np.array(0.02, np.float32)), initializer("azp", np.array(3, np.int8)),
    initializer("bs", np.array([0.01, 0.02, 0.03, 0.04], np.float32)),
    initializer("bzp", np.array([0, 1, -1, 2], np.int8)),
    initializer("ys", np.array(0.05, np.float32)), initializer("yzp", np.array(-4, np.int8))])
# onnxruntime wants the named inputs in schema order.
model.graph.node[0].ClearField("input")
model.graph.node[0].input.extend(["a", "as", "azp", "b", "bs", "bzp", "ys", "yzp"])
check_sinter_run(sinter, model, {"a": a, "b": b}, workdir, "qlinear_matmul")

x = rng.integers(0, 256, (1, 3, 6, 6)).astype(np.uint8)
w = rng.integers(-128, 128, (4, 3, 3, 3)).astype(np.int8)
model = single("QLinearConv", {"x": x, "w": w}, [("y", np.uint8, [1, 4, 6, 6])], 10, [
    initializer("xs", np.array(0.02, np.float32)), initializer("xzp", np.array(128, np.uint8)),
    initializer("ws", rng.uniform(0.005, 0.02, 4).astype(np.float32)),
    initializer("wzp", np.zeros(4, np.int8)),
    initializer("ys", np.array(0.3, np.float32)), initializer("yzp", np.array(120, np.uint8)),
    initializer("bias", rng.integers(-500, 500, 4).astype(np.int32))], pads=[1, 1, 1, 1])
model.graph.node[0].ClearField("input")
model.graph.node[0].input.extend(["x", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp", "bias"])
check_sinter_run(sinter, model, {"x": x, "w": w}, workdir, "qlinear_conv")
