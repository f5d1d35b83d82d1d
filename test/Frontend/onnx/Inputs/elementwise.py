"""Models for elementwise.test: arithmetic, variadic ops, activations, Clip."""
from onnx_models import *

d = out_dir()
x = tensor("x", [2, 3])
y = untyped("y")
save(d, "binary", [node("Add", ["x", "b"], ["s"]), node("Sub", ["s", "x"], ["t"]),
                   node("Mul", ["t", "b"], ["m"]), node("Div", ["m", "x"], ["q"]),
                   node("Pow", ["q", "b"], ["y"])],
     [x, tensor("b", [3])], [y])
save(d, "pow_int_exponent", [node("Pow", ["x", "e"], ["y"])], [x], [y],
     [const("e", np.array(4, np.int64))])
save(d, "variadic", [node("Max", ["x", "a", "b"], ["mx"]), node("Min", ["mx", "a"], ["mn"]),
                     node("Sum", ["mn", "a", "b"], ["sm"]), node("Mean", ["sm", "x"], ["y"])],
     [x, tensor("a", [3]), tensor("b", [1, 1])], [y])
save(d, "unary", [node(op, [src], [dst]) for op, src, dst in [
    ("Relu", "x", "a"), ("Sigmoid", "a", "b"), ("Tanh", "b", "c"), ("Exp", "c", "e"),
    ("Log", "e", "f"), ("Sqrt", "f", "g"), ("Erf", "g", "h"), ("Neg", "h", "i"),
    ("Abs", "i", "j"), ("Reciprocal", "j", "y")]], [x], [y])
save(d, "leaky_relu", [node("LeakyRelu", ["x"], ["y"], alpha=0.25)], [x], [y])
save(d, "gelu", [node("Gelu", ["x"], ["g"]), node("Gelu", ["g"], ["y"], approximate="tanh")],
     [x], [y], opset=20)
save(d, "composed", [node("Elu", ["x"], ["a"]), node("HardSigmoid", ["a"], ["b"]),
                     node("Softplus", ["b"], ["c"]), node("PRelu", ["c", "slope"], ["y"])],
     [x], [y], [const("slope", np.full([3], 0.1, np.float32))])
save(d, "clip", [node("Clip", ["x", "lo", "hi"], ["c"]), node("Clip", ["c", "", "hi"], ["y"])],
     [x], [y], [const("lo", np.float32(0)), const("hi", np.float32(6))])
save(d, "clip_opset6", [node("Clip", ["x"], ["y"], min=0.0, max=6.0)], [x], [y], opset=10)
# Opset 6: B aligned with A's dimension 1 (not numpy's right alignment).
save(d, "legacy_broadcast", [node("Add", ["a", "b"], ["y"], broadcast=1, axis=1)],
     [tensor("a", [2, 3, 4]), tensor("b", [3])], [y], opset=6)
