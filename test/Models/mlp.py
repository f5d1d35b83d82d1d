# RUN: %sinter_python %s %sinter %t
# The zoo's small mlp against onnxruntime at atol/rtol 1e-3, batch 2.
# Flatten, Gemm and Relu: the 784-512-512-10 MLP at width 128.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("mlp", sys.argv[1], sys.argv[2])
