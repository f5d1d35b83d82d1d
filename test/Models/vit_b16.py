# RUN: %sinter_python %s %sinter %t
# The zoo's small vit_b16 against onnxruntime at atol/rtol 1e-3, batch 2.
# ViT-B/16 (16x16 stride-16 patch Conv, flatten via Reshape, class token through
# torch's Expand/Equal/Where idiom, Concat, position Add, pre-LN layers, erf-GELU),
# 2 layers, hidden 128, 64x64 images.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("vit_b16", sys.argv[1], sys.argv[2])
