# RUN: %sinter_python %s %sinter %t
# The zoo's small efficientnet_b0 against onnxruntime at atol/rtol 1e-3, batch 2.
# EfficientNet-B0 (MBConv: Conv+BatchNormalization, Sigmoid-Mul SiLU, depthwise 3x3
# and 5x5, squeeze-excitation), one block per stage, width /4, 64x64 images.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("efficientnet_b0", sys.argv[1], sys.argv[2])
