"""Models for misc-ops-import.test: ReduceProd/ReduceMin at run time, Dropout
that drops nothing, BatchNormalization in training mode, BitCast, MaxPool's
Indices and 8-bit inputs, Einsum diagonals and SwiGLU."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [2, 3, 4])
save(d, "reduce_prod", [node("ReduceProd", ["x"], ["y"], axes=[-1], keepdims=0)], [x], [y])
save(d, "reduce_min_bool", [node("ReduceMin", ["x"], ["y"], keepdims=1)],
     [tensor("x", [4, 2], TensorProto.BOOL)], [y], opset=20)
save(d, "dropout_mask", [node("Dropout", ["x"], ["y", "mask"])], [x], [y, untyped("mask")])
save(d, "dropout_zero_ratio", [node("Dropout", ["x", "r", "t"], ["y", "mask"])], [x],
     [y, untyped("mask")], [const("r", np.float32(0)), const("t", np.bool_(True))])
save(d, "batchnorm_training",
     [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "rm", "rv"],
           training_mode=1, momentum=0.8)],
     [x], [y, untyped("rm"), untyped("rv")],
     [weights("s", 3), weights("b", 3), weights("m", 3), weights("v", 3)], opset=15)
save(d, "bitcast", [node("BitCast", ["x"], ["y"], to=TensorProto.INT32)], [x], [y], opset=26)
save(d, "bitcast_bool", [node("BitCast", ["x"], ["y"], to=TensorProto.UINT8)],
     [tensor("x", [3], TensorProto.BOOL)], [y], opset=26)
save(d, "maxpool_indices", [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2],
                                 storage_order=1)],
     [tensor("x", [1, 2, 4, 4])], [y, untyped("i")])
save(d, "maxpool_u8", [node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2])],
     [tensor("x", [1, 1, 4, 4], TensorProto.UINT8)], [y])
save(d, "einsum_diagonal", [node("Einsum", ["x"], ["y"], equation="bii->bi")],
     [tensor("x", [2, 3, 3])], [y])
save(d, "swiglu", [node("SwiGLU", ["a", "b"], ["y"], alpha=1.5)],
     [tensor("a", [2, 4]), tensor("b", [2, 4])], [y], opset=28)
