"""Models for pool.test, norm.test and reduce.test."""
from onnx_models import *

d = out_dir()
y = untyped("y")
x = tensor("x", [1, 2, 7, 8])
save(d, "maxpool", [node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1])], [x], [y])
save(d, "maxpool_ceil_dilated", [node("MaxPool", ["x"], ["y", ""], kernel_shape=[2, 2],
                                      strides=[2, 2], dilations=[2, 1], ceil_mode=1)],
     [x], [y])
save(d, "maxpool_unused_indices", [node("MaxPool", ["x"], ["y", "indices"],
                                        kernel_shape=[2, 2])], [x], [y])
save(d, "maxpool_same", [node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                              auto_pad="SAME_UPPER")], [x], [y])
save(d, "avgpool", [node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         count_include_pad=1)], [x], [y])
save(d, "global_pools", [node("GlobalAveragePool", ["x"], ["a"]),
                         node("GlobalMaxPool", ["a"], ["y"])], [x], [y])

save(d, "batchnorm", [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
                           name="bn1", epsilon=1e-3)],
     [x], [y], [weights(n, 2) for n in "sbmv"])
save(d, "batchnorm_opset7", [node("BatchNormalization", ["x", "s", "b", "m", "v"],
                                  ["y", "", "", "", ""], spatial=1)],
     [x], [y], [weights(n, 2) for n in "sbmv"], opset=7)
t = tensor("t", [2, 5, 16])
save(d, "layernorm", [node("LayerNormalization", ["t", "g", "b"], ["y", "mean", "inv"],
                           epsilon=1e-6)], [t], [y], [weights("g", 16), weights("b", 16)])
save(d, "layernorm_axis", [node("LayerNormalization", ["t", "g"], ["y"], axis=1)], [t], [y],
     [weights("g", 5, 16)])
save(d, "instancenorm", [node("InstanceNormalization", ["x", "s", "b"], ["y"])], [x], [y],
     [weights("s", 2), weights("b", 2)])
save(d, "softmax13", [node("Softmax", ["t"], ["y"], axis=1)], [t], [y], opset=13)
save(d, "softmax11", [node("Softmax", ["t"], ["y"])], [t], [y], opset=11)
save(d, "softmax11_last", [node("Softmax", ["t"], ["y"], axis=2)], [t], [y], opset=11)
save(d, "logsoftmax", [node("LogSoftmax", ["t"], ["y"])], [t], [y], opset=13)

save(d, "reduce_attr", [node("ReduceMean", ["t"], ["y"], axes=[-1, 0], keepdims=0)], [t], [y],
     opset=13)
save(d, "reduce_sum_input", [node("ReduceSum", ["t", "axes"], ["y"])], [t], [y],
     [const("axes", np.array([-2], np.int64))], opset=13)
save(d, "reduce_max_all", [node("ReduceMax", ["t"], ["y"], keepdims=0)], [t], [y], opset=18)
save(d, "reduce_noop", [node("ReduceSum", ["t"], ["y"], noop_with_empty_axes=1)], [t], [y],
     opset=13)
save(d, "reduce_min", [node("ReduceMin", ["t", "axes"], ["y"])], [t], [y],
     [const("axes", np.array([1], np.int64))], opset=18)
save(d, "reduce_l2", [node("ReduceL2", ["t"], ["y"], axes=[2], keepdims=0)], [t], [y],
     opset=13)
save(d, "rmsnorm", [node("RMSNormalization", ["t", "g"], ["y"], epsilon=1e-6)], [t], [y],
     [weights("g", 16)], opset=23)
save(d, "groupnorm", [node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=1)], [x],
     [y], [weights("s", 2), weights("b", 2)], opset=21)
save(d, "lpnorm", [node("LpNormalization", ["t"], ["y"], axis=1, p=1)], [t], [y])
