# RUN: %sinter_python %s %sinter %t
# Depthwise convolutions (the vector kernel of sinter-depthwise-conv and what it
# fuses: bias, ReLU, clip) against onnxruntime, within 1e-5 abs + 1e-5 rel.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)
TOL = 1e-5


def out_size(size, kernel, stride, pad, dilation):
    return (size + pad - dilation * (kernel - 1) - 1) // stride + 1


def depthwise(tag, batch, channels, height, width, kernel, strides=(1, 1),
              pads=(0, 0, 0, 0), dilations=(1, 1), bias=True, activation=None,
              before=False):
    kh, kw = kernel
    inits = [initializer("w", rng.standard_normal((channels, 1, kh, kw)).astype(np.float32))]
    inputs = ["xr" if before else "x", "w"]
    if bias:
        inits.append(initializer("b", rng.standard_normal(channels).astype(np.float32)))
        inputs.append("b")
    nodes = [helper.make_node("Conv", inputs, ["c"], name="dw", group=channels,
                              kernel_shape=list(kernel), strides=list(strides),
                              pads=list(pads), dilations=list(dilations))]
    if before:
        # A MobileNet block: a 1x1 conv with bias and clip before the
        # depthwise conv, whose buffer is dead once its padded copy is made,
        # so that the depthwise epilogue may be given it.
        inits += [initializer("pw", rng.standard_normal((channels, channels, 1, 1))
                              .astype(np.float32) * 0.5),
                  initializer("pb", rng.standard_normal(channels).astype(np.float32)),
                  initializer("plo", np.float32(0)), initializer("phi", np.float32(6))]
        nodes[:0] = [helper.make_node("Conv", ["x", "pw", "pb"], ["xp"], name="pre"),
                     helper.make_node("Clip", ["xp", "plo", "phi"], ["xr"], name="preclip")]
    last = "c"
    if activation == "relu6":
        inits += [initializer("lo", np.float32(0)), initializer("hi", np.float32(6))]
        nodes.append(helper.make_node("Clip", ["c", "lo", "hi"], ["y"], name="clip"))
        last = "y"
    elif activation == "relu":
        nodes.append(helper.make_node("Relu", ["c"], ["y"], name="relu"))
        last = "y"
    elif activation == "reuse":
        # The conv's result is read twice: nothing can be fused into the kernel.
        nodes.append(helper.make_node("Relu", ["c"], ["r"], name="relu"))
        nodes.append(helper.make_node("Mul", ["r", "c"], ["y"], name="mul"))
        last = "y"
    elif activation == "swish":
        nodes.append(helper.make_node("Sigmoid", ["c"], ["s"], name="sigmoid"))
        nodes.append(helper.make_node("Mul", ["c", "s"], ["y"], name="mul"))
        last = "y"
    oh = out_size(height, kh, strides[0], pads[0] + pads[2], dilations[0])
    ow = out_size(width, kw, strides[1], pads[1] + pads[3], dilations[1])
    model = make_model(nodes, [value_info("x", [batch, channels, height, width])],
                       [value_info(last, [batch, channels, oh, ow])], inits, opset=13)
    x = rng.standard_normal((batch, channels, height, width)).astype(np.float32)
    check_sinter_run(sinter, model, {"x": x}, workdir, tag, atol=TOL, rtol=TOL)


depthwise("k3s1_w13", 1, 8, 13, 13, (3, 3), pads=(1, 1, 1, 1), activation="relu6")
depthwise("k3s2_w13", 1, 16, 13, 13, (3, 3), strides=(2, 2), pads=(1, 1, 1, 1))
depthwise("k3s1_w7_c96", 1, 96, 7, 7, (3, 3), pads=(1, 1, 1, 1), activation="relu6")
depthwise("k3s2_w112", 1, 32, 112, 112, (3, 3), strides=(2, 2), pads=(0, 0, 1, 1),
          activation="relu6")
depthwise("k3s1_w112", 1, 24, 112, 112, (3, 3), pads=(1, 1, 1, 1), activation="relu")
depthwise("k5s1_w14", 1, 40, 14, 14, (5, 5), pads=(2, 2, 2, 2), activation="swish")
depthwise("k5s2_w28", 3, 12, 28, 28, (5, 5), strides=(2, 2), pads=(2, 2, 2, 2))
depthwise("k3_dil2_w13", 3, 5, 13, 13, (3, 3), pads=(2, 2, 2, 2), dilations=(2, 2),
          bias=False)
depthwise("k5_dil2_s2", 1, 6, 23, 37, (5, 5), strides=(2, 2), dilations=(2, 2),
          pads=(1, 3, 2, 0))
depthwise("c1_w7", 1, 1, 7, 7, (3, 3), bias=False)
depthwise("c1_nopad_w40", 3, 1, 9, 40, (3, 3), bias=False, activation="relu")
depthwise("s2x1_asym", 2, 7, 15, 33, (3, 5), strides=(2, 1), pads=(0, 2, 1, 1))
depthwise("s1x3", 1, 4, 11, 50, (3, 3), strides=(1, 3), pads=(1, 1, 1, 1))
depthwise("reuse_w13", 1, 8, 13, 13, (3, 3), pads=(1, 1, 1, 1), activation="reuse")
depthwise("pre_k3s1_w13", 1, 8, 13, 13, (3, 3), pads=(1, 1, 1, 1), before=True,
          activation="relu6")
depthwise("pre_k5s1_w28", 2, 16, 28, 28, (5, 5), pads=(2, 2, 2, 2), before=True,
          activation="relu6")
depthwise("pre_k3s2_w14", 1, 8, 14, 14, (3, 3), strides=(2, 2), pads=(1, 1, 1, 1),
          before=True, activation="relu6")
depthwise("big_pads", 1, 3, 6, 9, (3, 3), pads=(4, 3, 2, 5), dilations=(2, 1))
depthwise("k1_w9", 1, 3, 9, 9, (1, 1), bias=True, activation="relu6")
