"""Models for the attention-, loss-, recurrent- and quant- frontend tests: the
composite ONNX ops that the importer decomposes, with their operands as graph
inputs so that nothing folds away, and one model per error the importer reports."""
from onnx_models import *

d = out_dir()
y = untyped("y")
U8, I8, I32, BOOL = TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32, TensorProto.BOOL
qkv = [tensor("q", [1, 4, 3, 8]), tensor("k", [1, 2, 5, 8]), tensor("v", [1, 2, 5, 6])]

# Attention: grouped-query heads, a boolean mask and causal masking.
save(d, "attention_gqa", [node("Attention", ["q", "k", "v", "mask"], ["y"], name="attn",
                               is_causal=1)],
     qkv + [tensor("mask", [3, 5], BOOL)], [y], opset=23)
save(d, "attention_heads", [node("Attention", ["q", "k", "v"], ["y"], name="attn")],
     [tensor("q", [1, 3, 12]), tensor("k", [1, 3, 12]), tensor("v", [1, 3, 12])], [y],
     opset=23)
save(d, "attention_group", [node("Attention", ["q", "k", "v"], ["y"], name="attn")],
     [tensor("q", [1, 3, 2, 8]), tensor("k", [1, 2, 2, 8]), tensor("v", [1, 2, 2, 8])], [y],
     opset=23)
save(d, "attention_mode", [node("Attention", ["q", "k", "v"], ["y", "", "", "qk"],
                                name="attn", qk_matmul_output_mode=4)],
     qkv, [y, untyped("qk")], opset=23)
save(d, "rotary", [node("RotaryEmbedding", ["x", "cos", "sin", "pos"], ["y"], name="rope")],
     [tensor("x", [1, 2, 3, 8]), tensor("cos", [16, 4]), tensor("sin", [16, 4]),
      tensor("pos", [1, 3], INT64)], [y], opset=23)
save(d, "rotary_dim", [node("RotaryEmbedding", ["x", "cos", "sin"], ["y"], name="rope",
                            rotary_embedding_dim=3)],
     [tensor("x", [1, 2, 3, 8]), tensor("cos", [1, 3, 4]), tensor("sin", [1, 3, 4])], [y],
     opset=23)

# Losses.
save(d, "nll", [node("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["y"], name="nll",
                     ignore_index=2)],
     [tensor("x", [3, 5, 2]), tensor("t", [3, 2], INT64), tensor("w", [5])], [y], opset=13)
save(d, "sce", [node("SoftmaxCrossEntropyLoss", ["x", "t"], ["y", "logp"], name="sce",
                     reduction="sum")],
     [tensor("x", [3, 5]), tensor("t", [3], INT64)], [y, untyped("logp")], opset=13)
save(d, "nll_target", [node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"], name="nll")],
     [tensor("x", [3, 5]), tensor("t", [5], INT64)], [y], opset=13)
save(d, "nll_reduction", [node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"], name="nll",
                               reduction="max")],
     [tensor("x", [3, 5]), tensor("t", [3], INT64)], [y], opset=13)

# Recurrent ops.
save(d, "lstm", [node("LSTM", ["x", "w", "r"], ["", "y"], name="lstm", hidden_size=4)],
     [tensor("x", [2, 1, 3]), tensor("w", [1, 16, 3]), tensor("r", [1, 16, 4])], [y],
     opset=14)
save(d, "gru_weights", [node("GRU", ["x", "w", "r"], ["", "y"], name="gru", hidden_size=4)],
     [tensor("x", [2, 1, 3]), tensor("w", [1, 16, 3]), tensor("r", [1, 12, 4])], [y],
     opset=14)
save(d, "rnn_activation", [node("RNN", ["x", "w", "r"], ["", "y"], name="rnn", hidden_size=4,
                                activations=["Gaussian"])],
     [tensor("x", [2, 1, 3]), tensor("w", [1, 4, 3]), tensor("r", [1, 4, 4])], [y], opset=14)

# Quantization.
save(d, "quantize", [node("QuantizeLinear", ["x", "s", "z"], ["y"], name="quant", axis=0)],
     [tensor("x", [3, 4]), tensor("s", [3]), tensor("z", [3], I8)], [y], opset=13)
save(d, "qlinear_matmul",
     [node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], ["y"], name="qmm")],
     [tensor("a", [2, 4], U8), tensor("as", []), tensor("az", [], U8), tensor("b", [4, 3], U8),
      tensor("bs", []), tensor("bz", [], U8), tensor("ys", []), tensor("yz", [], U8)], [y],
     opset=10)
save(d, "quantize_float8", [node("QuantizeLinear", ["x", "s"], ["y"], name="quant",
                                 output_dtype=TensorProto.FLOAT8E8M0)],
     [tensor("x", [3, 4]), tensor("s", [])], [y], opset=21)
save(d, "quantize_block", [node("QuantizeLinear", ["x", "s"], ["y"], name="quant", axis=1,
                                block_size=2)],
     [tensor("x", [3, 4]), tensor("s", [3, 3])], [y], opset=21)
