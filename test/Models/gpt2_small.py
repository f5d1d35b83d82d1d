# RUN: %sinter_python %s %sinter %t
# The zoo's small gpt2_small against onnxruntime at atol/rtol 1e-3, batch 2.
# GPT-2 (Range positions, c_attn Split, the causal mask sliced from a lower-triangular
# buffer and applied with Where, tanh-GELU, logits through the transposed tied
# embedding), 2 layers, hidden 128, seq 16.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "zoo"))
import harness  # noqa: E402

harness.check_small("gpt2_small", sys.argv[1], sys.argv[2])
