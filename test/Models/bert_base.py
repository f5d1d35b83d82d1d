# RUN: %sinter_python %s %sinter %t
# The zoo's small bert_base against onnxruntime at atol/rtol 1e-3, batch 2.
# BERT (Gather embeddings over sliced position/token-type buffers, the extended mask
# (1 - mask) * -10000 from Unsqueeze/Cast, Shape-Gather-Unsqueeze-Concat-Reshape heads,
# decomposed LayerNorm, erf-GELU, pooler Gemm+Tanh), 2 layers, hidden 128, seq 16;
# the second row of the batch is padded.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("bert_base", sys.argv[1], sys.argv[2])
