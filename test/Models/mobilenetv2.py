# RUN: %sinter_python %s %sinter %t
# The zoo's small mobilenetv2 against onnxruntime at atol/rtol 1e-3, batch 2.
# MobileNetV2 (Conv with folded BatchNorm bias, depthwise Conv, Clip(0, 6) as ReLU6,
# inverted residuals), one block per stage, width 0.25, 64x64 images.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("mobilenetv2", sys.argv[1], sys.argv[2])
