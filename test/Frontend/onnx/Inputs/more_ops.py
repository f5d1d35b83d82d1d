"""Models for einsum.test, quant.test and the LpPool and activation additions."""
from onnx_models import *

d = out_dir()
y = untyped("y")
save(d, "einsum_attention", [node("Einsum", ["q", "k"], ["y"], equation="bhqd,bhkd->bhqk")],
     [tensor("q", [2, 4, 8, 16]), tensor("k", [2, 4, 10, 16])], [y], opset=12)
save(d, "einsum_implicit", [node("Einsum", ["a", "b"], ["y"], equation="ij,jk")],
     [tensor("a", [3, 4]), tensor("b", [4, 5])], [y], opset=12)
save(d, "einsum_reduce", [node("Einsum", ["a"], ["y"], equation="ijk->ki")],
     [tensor("a", [3, 4, 5])], [y], opset=12)
save(d, "dequantize", [node("DequantizeLinear", ["w", "scale", "zero"], ["y"], axis=0)],
     [], [y], [const("w", np.arange(-6, 6, dtype=np.int8).reshape(3, 4)),
               const("scale", np.float32([0.5, 0.25, 2.0])),
               const("zero", np.int8([0, 1, -1]))], opset=13)
save(d, "lppool", [node("LpPool", ["x"], ["l"], kernel_shape=[2, 2], p=2),
                   node("GlobalLpPool", ["l"], ["y"], p=1)],
     [tensor("x", [1, 2, 4, 4])], [y], opset=18)
save(d, "celu_swish", [node("Celu", ["x"], ["c"], alpha=2.0), node("Swish", ["c"], ["y"])],
     [tensor("x", [2, 3])], [y], opset=24)
