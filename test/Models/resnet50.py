# RUN: %sinter_python %s %sinter %t
# The zoo's small resnet50 against onnxruntime at atol/rtol 1e-3, batch 2.
# ResNet-50 (torchvision layout: Conv+BatchNormalization pairs, bottlenecks with
# downsample branches, MaxPool, GlobalAveragePool, Flatten, Gemm), one block per stage,
# width /4, 64x64 images.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("resnet50", sys.argv[1], sys.argv[2])
