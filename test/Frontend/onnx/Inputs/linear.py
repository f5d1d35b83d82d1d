"""Models for gemm.test, matmul.test and conv.test."""
from onnx_models import *

d = out_dir()
y = untyped("y")
save(d, "gemm_plain", [node("Gemm", ["a", "w", "c"], ["y"], name="fc")],
     [tensor("a", [2, 4])], [y], [weights("w", 4, 8), weights("c", 8)])
save(d, "gemm_trans", [node("Gemm", ["a", "w", "c"], ["y"], transA=1, transB=1, alpha=0.5,
                            beta=2.0)],
     [tensor("a", [4, 2])], [y], [weights("w", 8, 4), weights("c", 1, 8)])
save(d, "gemm_no_c", [node("Gemm", ["a", "w"], ["y"])], [tensor("a", [2, 4])], [y],
     [weights("w", 4, 8)], opset=13)
save(d, "gemm_beta0", [node("Gemm", ["a", "w", "c"], ["y"], beta=0.0)], [tensor("a", [2, 4])],
     [y], [weights("w", 4, 8), weights("c", 8)])
save(d, "matmul_batched", [node("MatMul", ["a", "b"], ["y"])],
     [tensor("a", [5, 1, 2, 3]), tensor("b", [4, 3, 6])], [y])
save(d, "matmul_vector_matrix", [node("MatMul", ["v", "m"], ["y"])],
     [tensor("v", [3]), tensor("m", [2, 3, 4])], [y])
save(d, "matmul_matrix_vector", [node("MatMul", ["m", "v"], ["y"])],
     [tensor("m", [2, 3]), tensor("v", [3])], [y])
save(d, "matmul_dot", [node("MatMul", ["u", "v"], ["y"])], [tensor("u", [3]), tensor("v", [3])],
     [y])
x = tensor("x", [1, 3, 8, 8])
save(d, "conv_bias", [node("Conv", ["x", "w", "b"], ["y"], name="conv1", kernel_shape=[3, 3],
                           pads=[1, 2, 1, 0], strides=[2, 1], dilations=[1, 2])],
     [x], [y], [weights("w", 4, 3, 3, 3), weights("b", 4)])
save(d, "conv_depthwise", [node("Conv", ["x", "w"], ["y"], group=3)], [x], [y],
     [weights("w", 6, 1, 3, 3)])
for mode in ["SAME_UPPER", "SAME_LOWER", "VALID"]:
    save(d, "conv_" + mode.lower(), [node("Conv", ["x", "w"], ["y"], auto_pad=mode,
                                          strides=[2, 2])],
         [tensor("x", [1, 3, 7, 8])], [y], [weights("w", 2, 3, 4, 3)])
save(d, "conv_1d", [node("Conv", ["x", "w"], ["y"], pads=[2, 0])], [tensor("x", [2, 3, 9])],
     [y], [weights("w", 4, 3, 3)])
save(d, "conv_3d", [node("Conv", ["x", "w"], ["y"])], [tensor("x", [1, 2, 4, 4, 4])], [y],
     [weights("w", 3, 2, 2, 2, 2)])
save(d, "conv_transpose", [node("ConvTranspose", ["x", "w", "b"], ["y"], strides=[2, 2],
                                pads=[1, 1, 0, 0], output_padding=[1, 0])],
     [tensor("x", [1, 2, 3, 4])], [y], [weights("w", 2, 3, 3, 3), weights("b", 3)])
