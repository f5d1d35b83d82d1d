# RUN: %sinter_python %s %sinter %t
# Strided convolutions, whose im2col gather sinter-conv-gather turns into wide
# loads and shuffles, against onnxruntime within 1e-4 abs + 1e-4 rel.
import sys

import numpy as np
from onnx import helper

from sinter_testing import check_sinter_run, initializer, make_model, value_info

sinter, workdir = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(5)
TOL = 1e-4


def conv(tag, batch, channels, features, spatial, kernel, strides, pads, dilations=None):
    rank = len(spatial)
    dilations = dilations or [1] * rank
    w = (rng.standard_normal((features, channels, *kernel)) * 0.3).astype(np.float32)
    b = rng.standard_normal(features).astype(np.float32)
    out = [(spatial[i] + pads[i] + pads[i + rank] - dilations[i] * (kernel[i] - 1) - 1)
           // strides[i] + 1 for i in range(rank)]
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv",
                            kernel_shape=list(kernel), strides=list(strides),
                            pads=list(pads), dilations=list(dilations))
    model = make_model([node], [value_info("x", [batch, channels, *spatial])],
                       [value_info("y", [batch, features, *out])],
                       [initializer("w", w), initializer("b", b)], opset=13)
    x = rng.standard_normal((batch, channels, *spatial)).astype(np.float32)
    check_sinter_run(sinter, model, {"x": x}, workdir, tag, atol=TOL, rtol=TOL)


# A stem: 3x3 stride 2 on 3 channels, even and odd widths.
conv("stem_224", 1, 3, 8, (64, 64), (3, 3), (2, 2), (0, 0, 1, 1))
conv("stem_odd", 1, 3, 8, (45, 37), (3, 3), (2, 2), (1, 1, 1, 1))
# ResNet's 7x7 stride-2 stem and a strided 3x3 of several images.
conv("k7s2", 1, 3, 4, (40, 40), (7, 7), (2, 2), (3, 3, 3, 3))
conv("k3s2_batch3", 3, 5, 6, (15, 29), (3, 3), (2, 2), (1, 1, 1, 1))
# Stride 3 and 4, dilation, a stride only along the width.
conv("k3s3", 1, 4, 4, (20, 50), (3, 3), (3, 3), (1, 1, 1, 1))
conv("k4s4_dil2", 2, 2, 3, (33, 35), (4, 4), (4, 4), (2, 1, 0, 3), (2, 2))
conv("s1x2", 1, 3, 5, (9, 26), (3, 3), (1, 2), (1, 1, 1, 1))
# 1-D.
conv("conv1d_s2", 2, 3, 4, (40,), (5,), (2,), (2, 2))
# Stride 5: beyond the shuffle, left to the loops.
conv("k3s5", 1, 2, 3, (21, 23), (3, 3), (5, 5), (1, 1, 1, 1))
