# RUN: %sinter_python %s %sinter %t
# A CNN (Conv, BatchNormalization, Relu, MaxPool, depthwise Conv, an asymmetrically
# padded strided Conv, AveragePool, GlobalAveragePool, Flatten, Gemm) against onnxruntime.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(11)


def weights(*shape, scale=0.3):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def cnn(opset, batch):
    inits = [
        initializer("c1_w", weights(8, 3, 3, 3)), initializer("c1_b", weights(8)),
        initializer("bn_scale", rng.uniform(0.5, 1.5, 8).astype(np.float32)),
        initializer("bn_bias", weights(8)),
        initializer("bn_mean", weights(8)),
        initializer("bn_var", rng.uniform(0.5, 2.0, 8).astype(np.float32)),
        initializer("dw_w", weights(8, 1, 3, 3)), initializer("dw_b", weights(8)),
        initializer("c3_w", weights(16, 8, 3, 3)),
        initializer("g2_w", weights(16, 4, 1, 1)),
        initializer("fc_w", weights(5, 16)), initializer("fc_b", weights(5)),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "c1_w", "c1_b"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("BatchNormalization",
                         ["c1", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["bn"],
                         name="bn1", epsilon=1e-3),
        helper.make_node("Relu", ["bn"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2],
                         strides=[2, 2]),
        # Depthwise: one filter per channel.
        helper.make_node("Conv", ["p1", "dw_w", "dw_b"], ["dw"], name="dwconv", group=8,
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["dw"], ["r2"], name="relu2"),
        # Strided, with different begin and end pads on each axis.
        helper.make_node("Conv", ["r2", "c3_w"], ["c3"], name="conv3", strides=[2, 2],
                         pads=[0, 1, 1, 2]),
        # Grouped 1x1 (4 groups of 4 channels).
        helper.make_node("Conv", ["c3", "g2_w"], ["g2"], name="groupconv", group=4),
        helper.make_node("AveragePool", ["g2"], ["ap"], name="avgpool", kernel_shape=[3, 3],
                         strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=0),
        helper.make_node("MaxPool", ["ap"], ["mp"], name="pool2", kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("GlobalAveragePool", ["mp"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["y"], name="fc", transB=1),
    ]
    return make_model(nodes, [value_info("x", [batch, 3, 20, 20])],
                      [value_info("y", [batch, 5])], inits, opset=opset)


for opset in (13, 15, 17):
    batch = 2 if opset == 15 else 1
    x = rng.standard_normal((batch, 3, 20, 20)).astype(np.float32)
    check_sinter_run(sinter, cnn(opset, batch), {"x": x}, workdir, f"cnn_opset{opset}")
